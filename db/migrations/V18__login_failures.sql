-- Wrong passwords per throttled key ('user:<name>' or 'address:<ip>'), in the database rather than in each replica's
-- memory: with several control-plane replicas behind one Service, an attacker spreading guesses across them is
-- counted once. A successful sign-in deletes its key's row; rows whose window and lockout are over are deleted by the
-- next failures (expires_at says when).
create table login_failures (
    key text primary key,
    failures integer not null check (failures > 0),
    last_failure timestamptz not null,
    locked_until timestamptz,
    expires_at timestamptz not null
);

create index login_failures_expiry on login_failures (expires_at);
