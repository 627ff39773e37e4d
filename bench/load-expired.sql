-- Loads :rows synthetic events of tenant :'tenant', seq :seqFrom + 1 on, received (and occurred) from
-- :'start' one every :spacing seconds, long past the default retention of 365 days, for the retention
-- step of bench/run. Hashes are filler, as in load-events.sql. With :heldEvery above 0, actor-7 owns
-- every :heldEvery-th event (the benchmark puts a legal hold on it); otherwise no event is actor-7's.
set session_replication_role = replica;
-- the monthly partitions the rows fall in, as the service would create them on the spot
select count(audit_events_partition_for(t, 'month'))
from generate_series(timestamptz :'start', timestamptz :'start' + :rows * :spacing * interval '1 second',
                     interval '1 day') t;
insert into audit_events (tenant, seq, id, occurred_at, received_at, category, action, outcome, actor_id,
    actor_type, actor_name, resource_type, resource_id, source_ip, user_agent, request_id, metadata, prev_hash, hash)
select :'tenant', :seqFrom + i, gen_random_uuid(),
       timestamptz :'start' + (i * :spacing * interval '1 second'),
       timestamptz :'start' + (i * :spacing * interval '1 second'),
       (array['auth', 'admin', 'data_access', 'system'])[1 + i % 4],
       'svc' || (i % 10) || '.op' || (i / 10 % 10),
       'success',
       case when :heldEvery > 0 and i % :heldEvery = 7 then 'actor-7' else 'actor-' || (8 + i % 4992) end,
       'user', 'Actor ' || (i % 5000),
       'type' || (i % 20), 'res-' || (i % 10000), '10.0.0.1', 'Mozilla/5.0 (bench)', 'req-' || i,
       jsonb_build_object('team', 'team' || (i % 50), 'ref', i),
       decode(md5(i::text) || md5((i + 1)::text), 'hex'),
       decode(md5((i + 2)::text) || md5((i + 3)::text), 'hex')
from generate_series(1, :rows) as i;
