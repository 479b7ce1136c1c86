-- Who may do what: people who sign in (users), automation that calls the API (api_tokens), and the
-- roles both hold per namespace (grants). Passwords and tokens are stored only as hashes.

create table users (
    id               bigserial primary key,
    username         text        not null unique,
    display_name     text,
    -- bcrypt; null for a user who signs in only through OpenID Connect.
    password_hash    text,
    created_at       timestamptz not null,
    created_by       text        not null,
    updated_at       timestamptz not null,
    updated_by       text        not null,
    disabled_at      timestamptz,
    last_sign_in_at  timestamptz
);

-- The subject is how the caller appears everywhere else (audit, created_by): 'user:<username>' or
-- 'token:<name>'. '*' as namespace means every namespace, present and future.
create table grants (
    id         bigserial primary key,
    subject    text    not null,
    namespace  text    not null,
    role       text    not null check (role in ('viewer', 'deployer', 'admin')),
    -- Making a service public is a permission of its own; admins have it anyway.
    publish    boolean not null,
    constraint grants_unique unique (subject, namespace)
);
create index grants_subject on grants (subject);

-- Tokens were admin-only until now; they hold grants like users do, or are a gateway's identity.
alter table api_tokens add column kind text not null default 'api' check (kind in ('api', 'gateway'));
alter table api_tokens add column created_by text not null default 'system';
alter table api_tokens add column revoked_by text;
insert into grants (subject, namespace, role, publish)
    select 'token:' || name, '*', 'admin', true from api_tokens;
alter table api_tokens drop column role;
alter table api_tokens alter column kind drop default;
alter table api_tokens alter column created_by drop default;
