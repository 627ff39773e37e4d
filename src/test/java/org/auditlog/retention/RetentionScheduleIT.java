package org.auditlog.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.auditlog.support.ServiceProcess;
import org.auditlog.support.TestDatabase;
import org.junit.jupiter.api.Test;

/** The scheduled retention job, with the real jar as separate processes on one database. */
class RetentionScheduleIT {
    private static final Pattern FIRED = Pattern.compile("retention job fired for (\\S+) on instance (\\S+)");

    @Test
    void aRunMissedWhileTheServiceWasDownHappensOnceWhenItComesBack() throws Exception {
        String url = TestDatabase.get().scratch("misfire");
        Path data = Files.createTempDirectory("misfire");
        String daily = "retention.schedule=0 0 3 * * ?";
        try (var first = ServiceProcess.start("misfire-1", url, data, daily)) {
            ServiceProcess.command(url, data, "create-key", "config.yml", "--tenant", "acme", "--role", "admin");
        }
        // the service was down when the run was due: the stored trigger's time has passed
        execute(url, "update qrtz_triggers set next_fire_time = "
                + "(extract(epoch from now() - interval '10 minutes') * 1000)::bigint where trigger_name = 'retention'");
        assertThat(TestDatabase.count(url, "select count(*) from retention_runs where trigger = 'schedule'")).isZero();

        try (var second = ServiceProcess.start("misfire-2", url, data, daily)) {
            long deadline = System.currentTimeMillis() + 30_000;
            while (TestDatabase.count(url, "select count(*) from retention_runs where trigger = 'schedule'") == 0
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(250);
            }
            Thread.sleep(5_000);
            assertThat(TestDatabase.count(url, "select count(*) from retention_runs where trigger = 'schedule' and tenant = 'acme'"))
                    .as("runs of the missed schedule").isEqualTo(1);
            assertThat(TestDatabase.count(url, "select count(*) from qrtz_triggers where trigger_name = 'retention' "
                    + "and next_fire_time > (extract(epoch from now()) * 1000)::bigint")).as("next run is ahead").isEqualTo(1);
        } finally {
            TestDatabase.get().dropScratch("misfire");
        }
    }

    @Test
    void twoInstancesOnOneDatabaseRunEachScheduledRetentionOnce() throws Exception {
        String url = TestDatabase.get().scratch("cluster");
        Path dataA = Files.createTempDirectory("cluster-a");
        Path dataB = Files.createTempDirectory("cluster-b");
        String everyTwoSeconds = "retention.schedule=*/2 * * * * ?";
        String checkin = "scheduling.clusterCheckinInterval=1 second";
        ServiceProcess a = null;
        ServiceProcess b = null;
        try {
            // the tenant exists before either instance starts, so every run due finds it
            ServiceProcess.command(url, dataA, "create-key", "config.yml", "--tenant", "acme", "--role", "admin");
            a = ServiceProcess.start("cluster-a", url, dataA, everyTwoSeconds, checkin);
            b = ServiceProcess.start("cluster-b", url, dataB, everyTwoSeconds, checkin);
            Thread.sleep(14_000);
            assertThat(TestDatabase.count(url, "select count(*) from qrtz_scheduler_state")).as("both instances checked in").isEqualTo(2);
        } finally {
            if (a != null) {
                a.stop();
            }
            if (b != null) {
                b.stop();
            }
        }
        Map<String, String> firedBy = new HashMap<>();
        int fired = 0;
        for (ServiceProcess instance : new ServiceProcess[] {a, b}) {
            Matcher m = FIRED.matcher(instance.log());
            while (m.find()) {
                fired++;
                String earlier = firedBy.put(m.group(1), m.group(2));
                assertThat(earlier).as("the run due at %s fired twice", m.group(1)).isNull();
            }
        }
        assertThat(fired).as("scheduled runs in 14 s").isGreaterThanOrEqualTo(4);
        assertThat(TestDatabase.count(url, "select count(*) from retention_runs where trigger = 'schedule' and tenant = 'acme'"))
                .isEqualTo(fired);
        TestDatabase.get().dropScratch("cluster");
    }


    private static void execute(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
