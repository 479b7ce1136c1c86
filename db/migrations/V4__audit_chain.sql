-- The audit trail becomes tamper-evident and append-only. Each event also stores how its actor
-- authenticated, the user agent and the change cause, and is chained to the event before it (in id
-- order): hash = SHA-256 of a canonical encoding of its fields and prev_hash, the previous event's hash.
-- dev.ebb.audit.ChainHash documents the encoding; the events written before this migration are
-- chained here with the same encoding, computed in SQL.

alter table audit_events
    add column credential    text,
    add column user_agent    text,
    add column change_cause  text,
    add column prev_hash     text,
    add column hash          text;

-- One field of the encoding: '-,' for null, otherwise a netstring '<UTF-8 byte length>:<value>,'.
create function pg_temp.audit_chain_field(field_value text) returns text language sql immutable as $$
    select case when field_value is null then '-,' else octet_length(convert_to(field_value, 'UTF8')) || ':' || field_value || ',' end
$$;

do $$
declare
    stored         record;
    previous_hash  text := null;
    event_hash     text;
begin
    for stored in select * from audit_events order by id loop
        event_hash := encode(sha256(convert_to(
                pg_temp.audit_chain_field('ebb-audit-v1')
                || pg_temp.audit_chain_field(stored.id::text)
                || pg_temp.audit_chain_field(to_char(stored.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
                || pg_temp.audit_chain_field(stored.actor)
                || pg_temp.audit_chain_field(stored.credential)
                || pg_temp.audit_chain_field(stored.action)
                || pg_temp.audit_chain_field(stored.namespace)
                || pg_temp.audit_chain_field(stored.service)
                || pg_temp.audit_chain_field(stored.target)
                || pg_temp.audit_chain_field(stored.before::text)
                || pg_temp.audit_chain_field(stored.after::text)
                || pg_temp.audit_chain_field(stored.request_id)
                || pg_temp.audit_chain_field(stored.source_address)
                || pg_temp.audit_chain_field(stored.user_agent)
                || pg_temp.audit_chain_field(stored.change_cause)
                || pg_temp.audit_chain_field(previous_hash),
                'UTF8')), 'hex');
        update audit_events set prev_hash = previous_hash, hash = event_hash where id = stored.id;
        previous_hash := event_hash;
    end loop;
end
$$;

drop function pg_temp.audit_chain_field(text);

alter table audit_events alter column hash set not null;

-- Two events claiming the same predecessor would fork the chain; the application's lock prevents it,
-- and this makes the database refuse it too.
create unique index audit_events_prev_hash on audit_events (prev_hash);

create function audit_events_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the audit trail is append-only: % on audit_events is refused', tg_op
        using hint = 'Audit events are never changed or removed; GET /api/v1/audit/verify checks the chain.';
end
$$;

create trigger audit_events_no_update_or_delete
    before update or delete on audit_events
    for each row execute function audit_events_append_only();

create trigger audit_events_no_truncate
    before truncate on audit_events
    for each statement execute function audit_events_append_only();
