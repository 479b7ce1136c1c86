-- GET /api/v1/services/changes reads the newest snapshots across services (the console's point in time starts at the
-- last change). Snapshots are now also written when a revision's observed readiness changes a service's status, so
-- the table grows with every deploy; this index keeps "the newest few" a short backward scan.
create index service_snapshots_recent on service_snapshots (recorded_at desc, id desc);
