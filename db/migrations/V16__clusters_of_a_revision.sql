-- A revision placed on several clusters is observed by each: its readiness on each is kept here, and the revision's own
-- ready_status combines them (one False fails it, one True makes it ready). Rows of clusters no longer in the
-- service's placement are ignored and go with the revision.
create table revision_cluster_readiness (
    revision_id  bigint      not null references revisions (id) on delete cascade,
    cluster      text        collate "C" not null,
    status       text        not null check (status in ('True', 'False', 'Unknown')),
    reason       text,
    message      text,
    changed_at   timestamptz not null,
    primary key (revision_id, cluster)
);

-- Where the gateways of a registered cluster take requests forwarded by other clusters' gateways: host:port of their
-- peer listener, as reachable from the other clusters. Null: the cluster's services are not reachable from elsewhere.
alter table clusters add column gateway text;
