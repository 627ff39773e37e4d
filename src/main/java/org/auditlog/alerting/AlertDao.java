package org.auditlog.alerting;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.auditlog.filter.BindWhere;
import org.auditlog.filter.EventGroup;
import org.auditlog.filter.EventWhere;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(Alert.class)
@RegisterConstructorMapper(AlertDao.GroupCount.class)
public interface AlertDao {
    /** How many events of a group matched the rule, out of how many it is measured against. */
    record GroupCount(String key, long matched, long total) {
    }

    String COLUMNS = "id, tenant, rule_id, rule_name, group_by, group_key, severity, state, value, matched, total, "
            + "fired_at, resolved_at";

    /**
     * Per group (or in one group {@code ''} without one), how many events {@code where} selects (the
     * denominator) and how many of them {@code matching} selects too (the numerator).
     */
    default List<GroupCount> counts(Optional<EventGroup> group, EventWhere matching, EventWhere where) {
        return counts(group.map(EventGroup::sql).orElse("''"), matching, group.map(where::present).orElse(where));
    }

    @SqlQuery("select <group> as key, count(*) filter (where <matching>) as matched, count(*) as total "
            + "from audit_events where <where> group by 1")
    List<GroupCount> counts(@Define("group") String group, @BindWhere("matching") EventWhere matching,
                            @BindWhere EventWhere where);

    @SqlQuery("select " + COLUMNS + " from alerts where rule_id = :ruleId and state = 'firing'")
    List<Alert> firing(@Bind("ruleId") UUID ruleId);

    @SqlQuery("select max(fired_at) from alerts where rule_id = :ruleId and group_key = :group")
    Optional<Instant> lastFired(@Bind("ruleId") UUID ruleId, @Bind("group") String group);

    /** Fires an alert; 0 when one is already firing for the rule and group (another evaluation won). */
    @SqlUpdate("insert into alerts (id, tenant, rule_id, rule_name, group_by, group_key, severity, state, value, "
            + "matched, total, fired_at) values (:id, :tenant, :ruleId, :ruleName, :groupBy, :group, :severity, "
            + "'firing', :value, :matched, :total, :now) on conflict (rule_id, group_key) where state = 'firing' do nothing")
    int fire(@Bind("id") UUID id, @Bind("tenant") String tenant, @Bind("ruleId") UUID ruleId,
             @Bind("ruleName") String ruleName, @Bind("groupBy") String groupBy, @Bind("group") String group,
             @Bind("severity") String severity, @Bind("value") double value, @Bind("matched") long matched,
             @Bind("total") long total, @Bind("now") Instant now);

    @SqlUpdate("update alerts set state = 'resolved', resolved_at = :now where id = :id and state = 'firing'")
    int resolve(@Bind("id") UUID id, @Bind("now") Instant now);

    @SqlQuery("select " + COLUMNS + " from alerts where id = :id")
    Alert find(@Bind("id") UUID id);

    @SqlQuery("select " + COLUMNS + " from alerts where tenant = :tenant and (cast(:state as text) is null or state = :state) "
            + "order by fired_at desc limit 200")
    List<Alert> list(@Bind("tenant") String tenant, @Bind("state") String state);
}
