-- A revision an operator stopped runs no instance, whatever its traffic, until it is retried.
alter table revisions
    add column stopped_at timestamptz,
    add column stopped_by text;
