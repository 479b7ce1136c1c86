-- A revision whose template names an image by tag runs the digest the tag pointed to when the revision was made:
-- its ImageResolved condition says whether that digest is known yet, and resolved_image is the reference its instances
-- run (repo@sha256:...). Revisions stored before this ran their image as written and need no resolution.
alter table revisions
    add column image_status text not null default 'True' check (image_status in ('True', 'False', 'Unknown')),
    add column image_reason text,
    add column image_message text,
    add column image_changed_at timestamptz,
    add column resolved_image text;

-- The resolver looks for the few revisions whose image is not resolved yet; nearly every row is 'True'.
create index revisions_image_pending on revisions (id) where image_status <> 'True';

-- A registry reached in plain HTTP (e.g. a microk8s registry at localhost:32000), and a CA bundle (PEM) to trust for
-- a registry whose certificate a private CA signed.
alter table registry_credentials
    add column plain_http boolean not null default false,
    add column ca_bundle text;
