-- Where each service runs: {"clusters": ["<cluster name>"]}. Every service stored before placement existed ran on
-- the local runtime, the only one there was.
alter table services add column placement jsonb not null default '{"clusters": ["local"]}';
alter table services alter column placement drop default;
