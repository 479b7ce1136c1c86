-- A cold start the cold-start probe caused is kept apart from the users' own: the SLO percentiles shown as the users'
-- experience leave the probe's out, and show them separately.
alter table cold_starts add column probe boolean not null default false;
