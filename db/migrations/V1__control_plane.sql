-- The control plane's source of truth: services, their immutable revisions, point-in-time
-- snapshots, the audit trail and API tokens. JPA validates this schema and never generates it.

create table namespaces (
    name        text primary key,
    created_at  timestamptz not null
);

create table services (
    id                 bigserial primary key,
    namespace          text        not null references namespaces (name),
    name               text        not null,
    labels             jsonb       not null,
    visibility         text        not null check (visibility in ('cluster-local', 'public')),
    cold_start_slo     text        not null,
    traffic            jsonb       not null,
    latest_generation  integer     not null,
    resource_version   bigint      not null,
    created_at         timestamptz not null,
    created_by         text        not null,
    updated_at         timestamptz not null,
    updated_by         text        not null,
    constraint services_name_unique unique (namespace, name)
);

create table revisions (
    id              bigserial primary key,
    service_id      bigint      not null references services (id) on delete cascade,
    namespace       text        not null,
    name            text        not null,
    generation      integer     not null,
    template        jsonb       not null,
    template_hash   text        not null,
    created_at      timestamptz not null,
    created_by      text        not null,
    change_cause    text,
    changes         text        not null,
    ready_status    text        not null check (ready_status in ('True', 'False', 'Unknown')),
    ready_reason    text,
    ready_message   text,
    ready_changed_at timestamptz not null,
    constraint revisions_name_unique unique (namespace, name),
    constraint revisions_generation_unique unique (service_id, generation)
);

-- One row per stored state of a service (and a tombstone when it is deleted): GET ?at= reads these.
create table service_snapshots (
    id                bigserial primary key,
    namespace         text        not null,
    name              text        not null,
    resource_version  bigint      not null,
    recorded_at       timestamptz not null,
    deleted           boolean     not null,
    -- json, not jsonb: the service is kept exactly as the API showed it, field order included.
    body              json
);
create index service_snapshots_lookup on service_snapshots (namespace, name, recorded_at desc, id desc);

create table audit_events (
    id              bigserial primary key,
    occurred_at     timestamptz not null,
    actor           text        not null,
    action          text        not null,
    namespace       text,
    service         text,
    target          text        not null,
    -- json, not jsonb: auditors read the states exactly as the API showed them, field order included.
    before          json,
    after           json,
    request_id      text,
    source_address  text
);
create index audit_events_namespace_service on audit_events (namespace, service, id desc);
create index audit_events_actor on audit_events (actor, id desc);
create index audit_events_occurred_at on audit_events (occurred_at);

create table api_tokens (
    id            bigserial primary key,
    name          text        not null unique,
    token_hash    text        not null unique,
    role          text        not null check (role in ('admin')),
    created_at    timestamptz not null,
    expires_at    timestamptz,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
