-- Cold starts (requests that waited for a revision at zero, phase by phase) and warm requests (floors
-- the autoscaler keeps a revision at until a deadline). Both go with their revision when it is deleted.

create table cold_starts (
    id                bigserial primary key,
    revision_id       bigint      not null references revisions (id) on delete cascade,
    namespace         text        not null,
    service           text        not null,
    revision          text        not null,
    instance          text,
    request_id        text,
    status            integer     not null,
    arrived           timestamptz not null,
    scale_requested   timestamptz,
    instance_started  timestamptz,
    instance_ready    timestamptz,
    forwarded         timestamptz,
    -- null when no response started; total_ms is then null too.
    first_byte        timestamptz,
    total_ms          bigint
);
-- GET .../coldstarts reads a service's newest first, with an optional revision and since.
create index cold_starts_service_arrived on cold_starts (namespace, service, arrived desc, id desc);
create index cold_starts_revision on cold_starts (revision_id);
-- The retention purge deletes by age.
create index cold_starts_arrived on cold_starts (arrived);

create table warm_requests (
    id            bigserial primary key,
    revision_id   bigint      not null references revisions (id) on delete cascade,
    namespace     text        not null,
    service       text        not null,
    revision      text        not null,
    instances     integer     not null check (instances between 1 and 1000),
    created_at    timestamptz not null,
    until         timestamptz not null check (until > created_at),
    created_by    text        not null,
    change_cause  text
);
create index warm_requests_service on warm_requests (namespace, service);
create index warm_requests_revision on warm_requests (revision_id);
create index warm_requests_until on warm_requests (until);
