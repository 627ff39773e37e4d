package org.auditlog.alerting;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(RuleDao.StoredRule.class)
public interface RuleDao {
    /** A rule as stored: its canonical JSON definition. */
    record StoredRule(UUID id, String tenant, String definition, boolean enabled,
                      @ColumnName("created_at") Instant createdAt, @ColumnName("updated_at") Instant updatedAt) {
    }

    String COLUMNS = "id, tenant, definition::text as definition, enabled, created_at, updated_at";

    @SqlUpdate("insert into alert_rules (id, tenant, definition, enabled, created_at, updated_at) "
            + "values (:id, :tenant, cast(:definition as jsonb), :enabled, :now, :now)")
    void insert(@Bind("id") UUID id, @Bind("tenant") String tenant, @Bind("definition") String definition,
                @Bind("enabled") boolean enabled, @Bind("now") Instant now);

    @SqlUpdate("update alert_rules set definition = cast(:definition as jsonb), enabled = :enabled, updated_at = :now "
            + "where tenant = :tenant and id = :id and deleted_at is null")
    int update(@Bind("tenant") String tenant, @Bind("id") UUID id, @Bind("definition") String definition,
               @Bind("enabled") boolean enabled, @Bind("now") Instant now);

    @SqlUpdate("update alert_rules set deleted_at = now(), enabled = false where tenant = :tenant and id = :id "
            + "and deleted_at is null")
    int delete(@Bind("tenant") String tenant, @Bind("id") UUID id);

    @SqlQuery("select count(*) from alert_rules where tenant = :tenant and deleted_at is null")
    int count(@Bind("tenant") String tenant);

    /** Takes a deleted channel out of every rule of the tenant that names it; answers those rules. */
    @SqlQuery("update alert_rules set definition = jsonb_set(definition, '{channels}', "
            + "(definition -> 'channels') - cast(:channel as text)), updated_at = :now "
            + "where tenant = :tenant and definition -> 'channels' @> jsonb_build_array(cast(:channel as text)) "
            + "returning id")
    List<UUID> dropChannel(@Bind("tenant") String tenant, @Bind("channel") String channel, @Bind("now") Instant now);

    @SqlQuery("select " + COLUMNS + " from alert_rules where tenant = :tenant and deleted_at is null order by created_at, id")
    List<StoredRule> list(@Bind("tenant") String tenant);

    @SqlQuery("select " + COLUMNS + " from alert_rules where tenant = :tenant and id = :id and deleted_at is null")
    Optional<StoredRule> find(@Bind("tenant") String tenant, @Bind("id") UUID id);

    @SqlQuery("select " + COLUMNS + " from alert_rules where enabled and deleted_at is null order by tenant, id")
    List<StoredRule> enabled();

    /** Rules with an alert still firing, even if since disabled or deleted, so their alerts resolve. */
    @SqlQuery("select " + COLUMNS + " from alert_rules r where exists (select 1 from alerts a where a.rule_id = r.id "
            + "and a.state = 'firing') and not (r.enabled and r.deleted_at is null)")
    List<StoredRule> stoppedWithOpenAlerts();
}
