package org.auditlog.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.SimpleTrigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.slf4j.LoggerFactory;

/** Tasks registered by name and run by the one job class, on a real clustered JDBC JobStore. */
class JobSchedulerTest {
    private static final String PURPOSE = "jobscheduler";
    private static PGSimpleDataSource dataSource;
    private static int schedulers;
    private JobScheduler scheduler;

    @BeforeAll
    static void database() throws Exception {
        TestDatabase.get().migratedScratch(PURPOSE);
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(TestDatabase.get().url() + "_" + PURPOSE);
        dataSource.setUser("postgres");
    }

    @AfterAll
    static void drop() {
        TestDatabase.get().dropScratch(PURPOSE);
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.stop();
    }

    /** A scheduler of its own cluster, so that it shares neither jobs nor threads with the test application's. */
    private JobScheduler scheduler(boolean enabled) {
        var configuration = TestApp.JSON.convertValue(Map.of("enabled", enabled, "shutdownGrace", "1 second"),
                SchedulingConfiguration.class);
        scheduler = new JobScheduler(configuration, dataSource, "job-scheduler-test-" + ++schedulers);
        return scheduler;
    }

    @Test
    void aTaskRunsOnceWithItsJobData() throws Exception {
        BlockingQueue<Firing> firings = new LinkedBlockingQueue<>();
        var scheduler = scheduler(true);
        scheduler.task("remember", firings::add);
        scheduler.start();
        scheduler.runOnce("remember", "remember-7", Map.of("exportId", "7"));

        Firing firing = firings.poll(30, TimeUnit.SECONDS);
        assertThat(firing).isNotNull();
        assertThat(firing.job()).isEqualTo("remember-7");
        assertThat(firing.data()).isEqualTo(Map.of("exportId", "7"));
        assertThat(firing.recovering()).isFalse();
        assertThat(firing.instance()).isNotBlank();
        JobDetail job = scheduler.scheduler().getJobDetail(new JobKey("remember-7", JobScheduler.GROUP));
        assertThat(job == null || job.requestsRecovery()).as("a one-off job, run again when its instance dies").isTrue();
    }

    @Test
    void aJobNamingAnUnknownTaskIsReportedAndTheSchedulerGoesOn() throws Exception {
        BlockingQueue<Firing> firings = new LinkedBlockingQueue<>();
        var scheduler = scheduler(true);
        scheduler.task("remember", firings::add);
        Logger log = (Logger) LoggerFactory.getLogger(TaskJob.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        log.addAppender(captured);
        try {
            scheduler.start();
            // as a release that had the task "retired" left it
            scheduler.scheduler().scheduleJob(JobBuilder.newJob(TaskJob.class).withIdentity("retired-1", JobScheduler.GROUP)
                    .usingJobData(TaskJob.TASK, "retired").build(),
                    TriggerBuilder.newTrigger().withIdentity("retired-1", JobScheduler.GROUP).startNow().build());
            TestApp.eventually("the unknown task is reported", () -> captured.list.stream()
                    .anyMatch(event -> event.getFormattedMessage().contains("retired-1")));
            assertThat(captured.list).first().satisfies(event -> {
                assertThat(event.getLevel().toString()).isEqualTo("ERROR");
                assertThat(event.getFormattedMessage()).contains("the task retired");
            });

            scheduler.runOnce("remember", "remember-8", Map.of());
            assertThat(firings.poll(30, TimeUnit.SECONDS)).as("the next job runs").isNotNull();
            assertThat(captured.list).as("reported once, not run again").hasSize(1);
        } finally {
            log.detachAppender(captured);
        }
    }

    @Test
    void aTaskIsRegisteredUnderOneNameOnly() {
        var scheduler = scheduler(false);
        scheduler.task("export", firing -> { });
        assertThatThrownBy(() -> scheduler.every("export", firing -> { }, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("export");
    }

    @Test
    void aOneOffJobNeedsARegisteredTaskAndLeavesTheTaskKeyToIt() throws Exception {
        var scheduler = scheduler(false);
        scheduler.task("export", firing -> { });
        scheduler.start();
        assertThatThrownBy(() -> scheduler.runOnce("nobody", "nobody-1", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nobody");
        assertThatThrownBy(() -> scheduler.runOnce("export", "export-1", Map.of(TaskJob.TASK, "other")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void intervalTriggersSkipMissedRunsAndCronTriggersMakeUpOneInUtc() throws Exception {
        var scheduler = scheduler(false);
        scheduler.every("tick", firing -> { }, Duration.ofMinutes(5));
        scheduler.cron("nightly", firing -> { }, "0 0 3 * * ?");
        scheduler.start();
        var quartz = scheduler.scheduler();

        var tick = (SimpleTrigger) quartz.getTrigger(new TriggerKey("tick", JobScheduler.GROUP));
        assertThat(tick.getRepeatInterval()).isEqualTo(Duration.ofMinutes(5).toMillis());
        assertThat(tick.getRepeatCount()).isEqualTo(SimpleTrigger.REPEAT_INDEFINITELY);
        assertThat(tick.getMisfireInstruction())
                .isEqualTo(SimpleTrigger.MISFIRE_INSTRUCTION_RESCHEDULE_NEXT_WITH_REMAINING_COUNT);

        var nightly = (CronTrigger) quartz.getTrigger(new TriggerKey("nightly", JobScheduler.GROUP));
        assertThat(nightly.getCronExpression()).isEqualTo("0 0 3 * * ?");
        assertThat(nightly.getTimeZone()).isEqualTo(TimeZone.getTimeZone("UTC"));
        assertThat(nightly.getMisfireInstruction()).isEqualTo(CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW);

        for (String name : new String[] {"tick", "nightly"}) {
            JobDetail job = quartz.getJobDetail(new JobKey(name, JobScheduler.GROUP));
            assertThat(job.getJobClass()).isEqualTo(ExclusiveTaskJob.class);
            assertThat(job.isConcurrentExecutionDisallowed()).as("runs of %s never overlap", name).isTrue();
            assertThat(job.getJobDataMap().getString(TaskJob.TASK)).isEqualTo(name);
        }
    }
}
