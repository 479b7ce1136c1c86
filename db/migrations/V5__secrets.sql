-- Clusters registered besides the built-in 'local' one, and the credentials of container registries.
-- Their secrets are stored only encrypted (AES-256-GCM): the ciphertext carries its key id and nonce and is
-- bound to its row; the key id is repeated in a column of its own so that an operator can see which rows
-- still need a rotation before an old key is dropped. No column holds a secret in plain text.

-- Names sort byte-wise ("C"), as Java compares strings: the API merges the built-in 'local' into the list.
create table clusters (
    id                     bigserial primary key,
    name                   text        collate "C" not null unique check (name <> 'local'),
    description            text,
    server                 text        not null,
    context                text        not null,
    kubeconfig_ciphertext  bytea       not null,
    kubeconfig_key_id      text        not null,
    resource_version       bigint      not null,
    created_at             timestamptz not null,
    created_by             text        not null,
    updated_at             timestamptz not null,
    updated_by             text        not null
);

create table registry_credentials (
    id                   bigserial primary key,
    namespace            text        not null references namespaces (name),
    name                 text        not null,
    server               text        not null,
    username             text        not null,
    password_ciphertext  bytea       not null,
    password_key_id      text        not null,
    resource_version     bigint      not null,
    created_at           timestamptz not null,
    created_by           text        not null,
    updated_at           timestamptz not null,
    updated_by           text        not null,
    constraint registry_credentials_name_unique unique (namespace, name)
);
create index registry_credentials_server on registry_credentials (namespace, server);
