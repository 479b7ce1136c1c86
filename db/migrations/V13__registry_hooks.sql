-- What made each revision: a person (trigger_name = the username), an API token (its name), a registry push seen by a
-- hook (the hook's name, with the registry's event id and the event's timestamp), or the poll of followed tags.
-- Revisions made before this column existed were made through the API, by the actor created_by names.
alter table revisions
    add column trigger_kind text,
    add column trigger_name text,
    add column trigger_event text,
    add column trigger_event_at timestamptz;

update revisions set
    trigger_kind = case
        when created_by like 'user:%' then 'person'
        when created_by like 'token:%' then 'token'
        else 'system' end,
    trigger_name = case when position(':' in created_by) > 0 then substr(created_by, position(':' in created_by) + 1)
        else created_by end;

alter table revisions
    alter column trigger_kind set not null,
    add constraint revisions_trigger_kind check (trigger_kind in ('person', 'token', 'registry-push', 'poll', 'system'));

-- Endpoints registries post their push notifications to (POST /api/v1/hooks/registry/{name}). The secret that
-- authenticates a delivery (as a bearer token, or as the key of an HMAC-SHA256 of the body) is stored only encrypted,
-- bound to its row, like registry passwords: checking an HMAC needs the secret itself, so it cannot be a hash.
create table registry_hooks (
    id                 bigserial primary key,
    name               text        collate "C" not null unique,
    registry           text,
    secret_ciphertext  bytea       not null,
    secret_key_id      text        not null,
    created_at         timestamptz not null,
    created_by         text        not null
);
