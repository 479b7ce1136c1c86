-- The phases a Kubernetes cluster reports of a cold start: when the pod was placed on a node and when the node
-- had its image. Null for the local runtime, which does neither, and for cold starts stored before.
alter table cold_starts add column scheduled timestamptz;
alter table cold_starts add column image_pulled timestamptz;
