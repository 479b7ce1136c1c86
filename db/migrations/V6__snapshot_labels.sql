-- GET /api/v1/services?at= filters each service's latest snapshot by its labels. Read out of the json body, that
-- parses every snapshot's whole body for each search (about 130 ms for 10,000 services); kept beside the body as
-- jsonb, it is a small lookup. Tombstones have no labels.
alter table service_snapshots add column labels jsonb;
update service_snapshots set labels = (body -> 'labels')::jsonb where body is not null;
