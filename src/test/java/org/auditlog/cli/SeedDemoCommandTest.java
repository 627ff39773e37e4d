package org.auditlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

/** The seed-demo command fills an empty tenant with varied, chained events, and nothing else. */
class SeedDemoCommandTest {
    private static final TestApp APP = TestApp.get();

    @Test
    void fillsAnEmptyTenantWithVariedEventsWhoseChainVerifies() throws Exception {
        String tenant = TestApp.newTenant("seed");
        String output = run("seed-demo", "config.yml", "--tenant", tenant, "--events", "4000");

        assertThat(output).contains("Wrote 4000 demo events to tenant " + tenant,
                "create-key config.yml --tenant " + tenant + " --role auditor", "http://localhost:8080/console/");
        assertThat(TestApp.count(tenant)).isEqualTo(4000);
        Instant now = Instant.now();
        assertThat(instant("select min(occurred_at) as v from audit_events where tenant = ?", tenant))
                .isAfter(now.minus(Duration.ofDays(91))).isBefore(now.minus(Duration.ofDays(85)));
        assertThat(instant("select max(occurred_at) as v from audit_events where tenant = ?", tenant))
                .isAfter(now.minus(Duration.ofDays(4))).isBefore(now.plusSeconds(1));
        assertThat(number("select count(*) as v from audit_events where tenant = ? and action = 'user.login' "
                + "and outcome = 'failure' and source_ip = '" + DemoEvents.SUSPICIOUS_IP + "'", tenant))
                .as("failed logins bursting from one address").isGreaterThanOrEqualTo(8);
        assertThat(number("select count(*) as v from audit_events where tenant = ? and category = 'admin' "
                + "and changes -> 'before' is not null and changes -> 'after' is not null", tenant)).isGreaterThan(50);
        assertThat(number("select count(*) as v from audit_events where tenant = ? and category = 'data_access' "
                + "and resource_type is not null and resource_id is not null and resource_name is not null", tenant))
                .isGreaterThan(500);
        assertThat(number("select count(distinct action) as v from audit_events where tenant = ? and action in "
                + "('role.granted', 'settings.updated', 'user.deactivated', 'document.read', 'report.exported', "
                + "'api_key.created', 'api_key.revoked')", tenant)).isEqualTo(7);
        assertThat(number("select count(distinct actor_id) as v from audit_events where tenant = ? "
                + "and actor_email is not null", tenant)).isBetween(15L, 30L);
        assertThat(number("select count(distinct actor_id) as v from audit_events where tenant = ? "
                + "and actor_type = 'service'", tenant)).isGreaterThanOrEqualTo(2);
        assertThat(number("select count(distinct source_ip) as v from audit_events where tenant = ?", tenant))
                .isGreaterThanOrEqualTo(5);
        assertThat(number("select count(*) as v from audit_events where tenant = ? and metadata -> 'plan' is not null "
                + "and metadata -> 'region' is not null and request_id is not null and user_agent is not null", tenant))
                .isGreaterThan(1000);

        assertThat(run("verify", "config.yml", "--tenant", tenant)).contains("\"ok\":true", "\"checked\":4000");
    }

    @Test
    void refusesATenantThatAlreadyHasEvents() throws Exception {
        String tenant = TestApp.newTenant("seed-twice");
        run("seed-demo", "config.yml", "--tenant", tenant, "--events", "50");

        assertThatThrownBy(() -> run("seed-demo", "config.yml", "--tenant", tenant, "--events", "50"))
                .hasStackTraceContaining("tenant " + tenant + " already has events");
        assertThat(TestApp.count(tenant)).isEqualTo(50);
    }

    @Test
    void refusesATenantWithRealEvents() throws Exception {
        String tenant = TestApp.newTenant("seed-real");
        APP.append(tenant, List.of(TestApp.draft("user.login", "authentication", 1)));

        assertThatThrownBy(() -> run("seed-demo", "config.yml", "--tenant", tenant))
                .hasStackTraceContaining("tenant " + tenant + " already has events");
        assertThat(TestApp.count(tenant)).isEqualTo(1);
    }

    @Test
    void refusesACountOutOfBoundsAndAReservedTenantName() {
        String tenant = TestApp.newTenant("seed-bad");
        for (String events : List.of("0", "1000001", "many")) {
            assertThatThrownBy(() -> run("seed-demo", "config.yml", "--tenant", tenant, "--events", events))
                    .as("--events " + events).hasStackTraceContaining("events");
        }
        assertThatThrownBy(() -> run("seed-demo", "config.yml", "--tenant", "_" + tenant))
                .hasStackTraceContaining("must match");
        assertThat(TestApp.count(tenant)).isZero();
        assertThat(TestApp.count("_" + tenant)).isZero();
    }

    @Test
    void theSameSeedWritesTheSameEvents() throws Exception {
        String first = TestApp.newTenant("seed-a");
        String second = TestApp.newTenant("seed-b");
        run("seed-demo", "config.yml", "--tenant", first, "--events", "300", "--seed", "7");
        run("seed-demo", "config.yml", "--tenant", second, "--events", "300", "--seed", "7");

        assertThat(TestApp.rows(CONTENT, second)).isEqualTo(TestApp.rows(CONTENT, first)).hasSize(300);
    }

    private static final String CONTENT = "select seq, action, category, outcome, actor_id, resource_id, source_ip, "
            + "request_id, reason, changes::text as changes, metadata::text as metadata from audit_events "
            + "where tenant = ? order by seq";

    private static long number(String sql, String tenant) {
        return ((Number) TestApp.rows(sql, tenant).get(0).get("v")).longValue();
    }

    private static Instant instant(String sql, String tenant) {
        Object value = TestApp.rows(sql, tenant).get(0).get("v");
        return ((java.sql.Timestamp) value).toInstant();
    }

    private static String run(String... args) throws Exception {
        return VerifyCommandTest.run(args);
    }
}
