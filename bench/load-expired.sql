-- Loads :rows synthetic events of tenant :'tenant' that occurred in 2019, long past the default
-- retention of 365 days, for the retention step of bench/run. Hashes are filler, as in
-- load-events.sql; actor-7 owns every 5,000th event (the benchmark puts a legal hold on it).
set session_replication_role = replica;
insert into audit_events (tenant, seq, id, occurred_at, received_at, category, action, outcome, actor_id,
    actor_type, actor_name, resource_type, resource_id, source_ip, user_agent, request_id, metadata, prev_hash, hash)
select :'tenant', i, gen_random_uuid(),
       timestamptz '2019-01-01' + (i * interval '31 seconds'),
       timestamptz '2019-01-01' + (i * interval '31 seconds'),
       (array['auth', 'admin', 'data_access', 'system'])[1 + i % 4],
       'svc' || (i % 10) || '.op' || (i / 10 % 10),
       'success', 'actor-' || (i % 5000), 'user', 'Actor ' || (i % 5000),
       'type' || (i % 20), 'res-' || (i % 10000), '10.0.0.1', 'Mozilla/5.0 (bench)', 'req-' || i,
       jsonb_build_object('team', 'team' || (i % 50), 'ref', i),
       decode(md5(i::text) || md5((i + 1)::text), 'hex'),
       decode(md5((i + 2)::text) || md5((i + 3)::text), 'hex')
from generate_series(1, :rows) as i;
