-- Which control-plane replica leads, and since when: written by the replica that takes the leader's lock (a PostgreSQL
-- advisory lock, which is what decides), read by any replica for GET /api/v1/control-plane. A row whose replica no
-- longer holds the lock is stale, and the API says nobody leads.
create table control_plane_leader (
    id smallint primary key check (id = 1),
    replica text not null,
    since timestamptz not null
);
