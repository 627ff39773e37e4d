package org.auditlog.report;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.auditlog.filter.BindWhere;
import org.auditlog.filter.EventWhere;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.FetchSize;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Every figure of a report, each from one of these statements, which the report prints beside what it
 * made (an auditor tests a report's completeness by its queries). {@code <where>} is the report's
 * period, filters and {@code seq <= asOfSeq}; aggregates are computed here, in SQL, and the lists are
 * streamed. A report reads other features' tables (retention runs, holds, alerts) and writes none.
 */
interface ReportDao {
    /** Authentication events: the category, or an action that names a login or sign-in. */
    String AUTHENTICATION = "(category = 'authentication' or action like '%login%' or action like '%sign_in%')";
    /** Refused: a failure or a denial. */
    String REFUSED = "outcome in ('failure', 'denied')";
    /** Privileged activity: admin events, key and role changes, retention and hold changes, alert rule changes. */
    String PRIVILEGED = "(category = 'admin' or action like 'api\\_key.%' or action like 'role.%' "
            + "or action like '%.role\\_%' or action like 'retention.%' or action like 'alert.%' "
            + "or action like 'alert\\_rule.%')";
    /** Data access: reads and exports of data, including reads of this log. */
    String DATA_ACCESS = "(category in ('data_access', 'audit_access') or action like '%.read' "
            + "or action like '%export%')";

    String TOTALS = "select category, outcome, count(*) as events from audit_events where <where> "
            + "group by category, outcome order by category, outcome";
    String DAILY = "select to_char(date_trunc('day', occurred_at at time zone 'UTC'), 'YYYY-MM-DD') as day, "
            + "count(*) as events, count(*) filter (where outcome <> 'success') as failures "
            + "from audit_events where <where> group by 1 order by 1";
    String REFUSED_TOTAL = "select count(*) from audit_events where <where> and " + AUTHENTICATION + " and " + REFUSED;
    String REFUSED_BY_ACTOR = "select actor_id as key, count(*) as events, min(occurred_at) as first_at, "
            + "max(occurred_at) as last_at from audit_events where <where> and " + AUTHENTICATION + " and " + REFUSED
            + " group by actor_id order by events desc, actor_id limit 10";
    String REFUSED_BY_IP = "select source_ip as key, count(*) as events, min(occurred_at) as first_at, "
            + "max(occurred_at) as last_at from audit_events where <where> and " + AUTHENTICATION + " and " + REFUSED
            + " and source_ip is not null group by source_ip order by events desc, source_ip limit 10";
    String PRIVILEGED_EVENTS = "select occurred_at, seq, actor_id, action, resource_type, resource_id, outcome "
            + "from audit_events where <where> and " + PRIVILEGED + " order by occurred_at, seq";
    String DATA_ACCESS_BY_ACTOR = "select actor_id, action, coalesce(resource_type, '') as resource_type, "
            + "count(*) as events, sum(case when metadata->>'rowCount' ~ '^[0-9]{1,18}$' "
            + "then (metadata->>'rowCount')::bigint end) as rows from audit_events where <where> and " + DATA_ACCESS
            + " group by actor_id, action, 3 order by events desc, actor_id, action, 3";
    String SEQ_RANGE = "select count(*) as events, min(seq) as first_seq, max(seq) as last_seq from audit_events "
            + "where <where>";
    String RUNS = "select started_at, trigger, dry_run, eligible, deleted, held, error from retention_runs "
            + "where tenant = :tenant and started_at >= :from and started_at < :to order by started_at";
    String HOLDS = "select name, coalesce(reason, '') as reason, filters::text as filters, created_at, released_at "
            + "from legal_holds where tenant = :tenant and created_at < :to "
            + "and (released_at is null or released_at >= :from) order by created_at";
    String ALERTS = "select fired_at, resolved_at, rule_name, severity, group_key, matched, state from alerts "
            + "where tenant = :tenant and ((fired_at >= :from and fired_at < :to) "
            + "or (resolved_at >= :from and resolved_at < :to)) order by fired_at";

    record Total(String category, String outcome, long events) {
    }

    record Day(String day, long events, long failures) {
    }

    record Top(String key, long events, @org.jdbi.v3.core.mapper.reflect.ColumnName("first_at") Instant firstAt,
               @org.jdbi.v3.core.mapper.reflect.ColumnName("last_at") Instant lastAt) {
    }

    record Privileged(@org.jdbi.v3.core.mapper.reflect.ColumnName("occurred_at") Instant occurredAt, long seq,
                      @org.jdbi.v3.core.mapper.reflect.ColumnName("actor_id") String actorId, String action,
                      @org.jdbi.v3.core.mapper.reflect.ColumnName("resource_type") String resourceType,
                      @org.jdbi.v3.core.mapper.reflect.ColumnName("resource_id") String resourceId, String outcome) {
    }

    record Access(@org.jdbi.v3.core.mapper.reflect.ColumnName("actor_id") String actorId, String action,
                  @org.jdbi.v3.core.mapper.reflect.ColumnName("resource_type") String resourceType, long events,
                  Long rows) {
    }

    record SeqRange(long events, @org.jdbi.v3.core.mapper.reflect.ColumnName("first_seq") Long firstSeq,
                    @org.jdbi.v3.core.mapper.reflect.ColumnName("last_seq") Long lastSeq) {
    }

    record Run(@org.jdbi.v3.core.mapper.reflect.ColumnName("started_at") Instant startedAt, String trigger,
               @org.jdbi.v3.core.mapper.reflect.ColumnName("dry_run") boolean dryRun, long eligible, long deleted,
               long held, String error) {
    }

    record Hold(String name, String reason, String filters,
                @org.jdbi.v3.core.mapper.reflect.ColumnName("created_at") Instant createdAt,
                @org.jdbi.v3.core.mapper.reflect.ColumnName("released_at") Instant releasedAt) {
    }

    record Fired(@org.jdbi.v3.core.mapper.reflect.ColumnName("fired_at") Instant firedAt,
                 @org.jdbi.v3.core.mapper.reflect.ColumnName("resolved_at") Instant resolvedAt,
                 @org.jdbi.v3.core.mapper.reflect.ColumnName("rule_name") String ruleName, String severity,
                 @org.jdbi.v3.core.mapper.reflect.ColumnName("group_key") String groupKey, long matched, String state) {
    }

    @SqlQuery(TOTALS)
    @RegisterConstructorMapper(Total.class)
    List<Total> totals(@BindWhere EventWhere where);

    @SqlQuery(DAILY)
    @RegisterConstructorMapper(Day.class)
    List<Day> daily(@BindWhere EventWhere where);

    @SqlQuery(REFUSED_TOTAL)
    long refusedTotal(@BindWhere EventWhere where);

    @SqlQuery(REFUSED_BY_ACTOR)
    @RegisterConstructorMapper(Top.class)
    List<Top> refusedByActor(@BindWhere EventWhere where);

    @SqlQuery(REFUSED_BY_IP)
    @RegisterConstructorMapper(Top.class)
    List<Top> refusedByIp(@BindWhere EventWhere where);

    @SqlQuery(PRIVILEGED_EVENTS)
    @RegisterConstructorMapper(Privileged.class)
    @FetchSize(1000)
    Stream<Privileged> privileged(@BindWhere EventWhere where);

    @SqlQuery(DATA_ACCESS_BY_ACTOR)
    @RegisterConstructorMapper(Access.class)
    @FetchSize(1000)
    Stream<Access> dataAccess(@BindWhere EventWhere where);

    @SqlQuery(SEQ_RANGE)
    @RegisterConstructorMapper(SeqRange.class)
    SeqRange seqRange(@BindWhere EventWhere where);

    @SqlQuery(RUNS)
    @RegisterConstructorMapper(Run.class)
    List<Run> runs(@Bind("tenant") String tenant, @Bind("from") Instant from, @Bind("to") Instant to);

    @SqlQuery(HOLDS)
    @RegisterConstructorMapper(Hold.class)
    List<Hold> holds(@Bind("tenant") String tenant, @Bind("from") Instant from, @Bind("to") Instant to);

    @SqlQuery(ALERTS)
    @RegisterConstructorMapper(Fired.class)
    List<Fired> alerts(@Bind("tenant") String tenant, @Bind("from") Instant from, @Bind("to") Instant to);
}
