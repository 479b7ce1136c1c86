-- Progressive delivery (issue 20). A service's annotations (free-form, but for Knative's serving.knative.dev/rollout-duration)
-- and its rollout settings as written with their defaults; null rollout: a new revision takes its share at once.
alter table services add column annotations jsonb not null default '{}';
alter table services add column rollout jsonb;

-- Each rollout of a service, newest last: the latest row is what routing applies to the service's latestRevision share.
-- A row from_revision null is a revision taken as the stable one with nothing to roll from. The rollout's settings and
-- plan are fixed when it starts, so that a change of the service's settings reshapes only the next one. steps holds, per
-- step taken, what the gateways measured of both revisions and what was decided, so a restart resumes where it was.
create table rollouts (
    id               bigserial   primary key,
    service_id       bigint      not null references services (id) on delete cascade,
    from_revision    text,
    to_revision      text        not null,
    strategy         text        not null check (strategy in ('gradual', 'canary', 'blueGreen')),
    settings         jsonb       not null,
    plan             jsonb       not null,
    step             integer     not null,
    percent          integer     not null check (percent between 0 and 100),
    state            text        not null check (state in ('progressing', 'paused', 'succeeded', 'failed', 'aborted', 'superseded')),
    reason           text,
    steps            jsonb       not null default '[]',
    started_at       timestamptz not null,
    step_started_at  timestamptz not null,
    updated_at       timestamptz not null,
    ended_at         timestamptz,
    version          bigint      not null default 0
);
create index rollouts_latest on rollouts (service_id, id desc);
