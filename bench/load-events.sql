-- Loads :rows synthetic events straight into audit_events for benchmarks: tenant t0 gets half of them,
-- t1..t9 the rest; a year of timestamps, 5,000 actors, 100 actions, 20 resource types, a metadata
-- object. Hashes are filler (the chain is not what these steps measure), so run the service with
-- scheduling.enabled=false on such data.
set session_replication_role = replica;
-- the monthly partitions the rows fall in, as the service would create them on the spot
select count(audit_events_partition_for(t, 'month'))
from generate_series(timestamptz '2021-01-01', timestamptz '2021-01-01' + :rows * interval '31 seconds', interval '1 day') t;
insert into audit_events (tenant, seq, id, occurred_at, received_at, category, action, outcome, actor_id,
    actor_type, actor_name, resource_type, resource_id, source_ip, user_agent, request_id, metadata, prev_hash, hash)
select case when i % 2 = 0 then 't0' else 't' || (1 + i % 9) end,
       i, gen_random_uuid(),
       timestamptz '2021-01-01' + (i * interval '31 seconds'),
       timestamptz '2021-01-01' + (i * interval '31 seconds'),
       (array['auth', 'admin', 'data_access', 'system'])[1 + i % 4],
       'svc' || (i % 10) || '.op' || (i / 10 % 10),
       (array['success', 'success', 'success', 'failure', 'denied'])[1 + i % 5],
       'actor-' || (i % 5000), 'user', 'Actor ' || (i % 5000),
       'type' || (i % 20), 'res-' || (i % 10000),
       '10.' || (i % 250) || '.' || (i / 250 % 250) || '.1',
       'Mozilla/5.0 (bench)', 'req-' || i,
       jsonb_build_object('team', 'team' || (i % 50), 'ref', i, 'note', 'synthetic event for the benchmark'),
       decode(md5(i::text) || md5((i + 1)::text), 'hex'),
       decode(md5((i + 2)::text) || md5((i + 3)::text), 'hex')
from generate_series(1, :rows) as i;
insert into chain_heads (tenant, last_seq, last_hash)
select tenant, max(seq), decode(repeat('00', 32), 'hex') from audit_events group by tenant
on conflict (tenant) do update set last_seq = excluded.last_seq;
analyze audit_events;
