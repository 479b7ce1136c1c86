-- Console sessions, kept here rather than in one control plane's memory so that every replica behind one address
-- serves every session and a restart signs nobody out. The tables are Spring Session JDBC's own
-- (org/springframework/session/jdbc/schema-postgresql.sql in spring-session-jdbc), which reads and writes them;
-- Spring Session never creates them itself (spring.session.jdbc.initialize-schema: never).
--
-- No grant is needed here: on the embedded database the application role gets select, insert, update and delete
-- on every table the migrations create through the owner's default privileges (dev.ebb.database.EmbeddedServer),
-- and on an external database the application migrates, and so owns, its tables.

create table spring_session (
    primary_id             char(36)     not null,
    session_id             char(36)     not null,
    creation_time          bigint       not null,
    last_access_time       bigint       not null,
    max_inactive_interval  int          not null,
    -- Milliseconds since the epoch; every replica deletes the sessions whose time has passed, once a minute.
    expiry_time            bigint       not null,
    -- 'user:<username>' of the signed-in user.
    principal_name         varchar(100),
    constraint spring_session_pk primary key (primary_id)
);

create unique index spring_session_ix1 on spring_session (session_id);
create index spring_session_ix2 on spring_session (expiry_time);
create index spring_session_ix3 on spring_session (principal_name);

-- Java-serialized attributes: the security context, and an OpenID Connect sign-in's state and nonce between the
-- redirect to the provider and its callback.
create table spring_session_attributes (
    session_primary_id  char(36)      not null,
    attribute_name      varchar(200)  not null,
    attribute_bytes     bytea         not null,
    constraint spring_session_attributes_pk primary key (session_primary_id, attribute_name),
    constraint spring_session_attributes_fk foreign key (session_primary_id) references spring_session (primary_id)
        on delete cascade
);
