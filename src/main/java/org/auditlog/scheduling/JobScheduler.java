package org.auditlog.scheduling;

import static java.util.Objects.requireNonNull;

import io.dropwizard.lifecycle.Managed;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.auditlog.common.RequestIds;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.spi.JobFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz with the JDBC JobStore on the service's own pool, clustered: a job fires on one instance
 * only, and a job missed while every instance was down is handled by its trigger's misfire policy.
 * Every job is a {@link TaskJob} naming one of the tasks features register here by name; the tasks
 * hold the services they call, so no job looks anything up.
 */
public final class JobScheduler implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);
    static final String GROUP = "audit";

    private record Planned(JobDetail job, Trigger trigger) {
    }

    private final SchedulingConfiguration configuration;
    private final DataSource dataSource;
    private final String clusterName;
    private final Map<String, ScheduledTask> tasks = new ConcurrentHashMap<>();
    private final List<Planned> planned = new ArrayList<>();
    private volatile Scheduler scheduler;

    public JobScheduler(SchedulingConfiguration configuration, DataSource dataSource) {
        this(configuration, dataSource, "audit-service");
    }

    /** {@code clusterName} is the cluster's: every instance of one service stores its jobs under the same name. */
    JobScheduler(SchedulingConfiguration configuration, DataSource dataSource, String clusterName) {
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.clusterName = requireNonNull(clusterName, "clusterName is null");
    }

    /** Registers a task that only runs when asked ({@link #runOnce}), such as a background export. */
    public void task(String name, ScheduledTask task) {
        requireNonNull(task, "task is null");
        if (tasks.putIfAbsent(requireNonNull(name, "name is null"), task) != null) {
            throw new IllegalArgumentException("a task named " + name + " is already registered");
        }
    }

    /** Runs the task every {@code interval}; a missed run is not made up, the next one comes on time. */
    public void every(String name, ScheduledTask task, java.time.Duration interval) {
        task(name, task);
        planned.add(new Planned(scheduled(name), TriggerBuilder.newTrigger()
                .withIdentity(name, GROUP)
                .forJob(name, GROUP)
                .startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(interval.toMillis())
                        .repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .build()));
    }

    /** Runs the task on a cron schedule in UTC; runs missed while the service was down are made up once. */
    public void cron(String name, ScheduledTask task, String expression) {
        task(name, task);
        planned.add(new Planned(scheduled(name), TriggerBuilder.newTrigger()
                .withIdentity(name, GROUP)
                .forJob(name, GROUP)
                .withSchedule(CronScheduleBuilder.cronSchedule(expression)
                        .inTimeZone(TimeZone.getTimeZone("UTC"))
                        .withMisfireHandlingInstructionFireAndProceed())
                .build()));
    }

    /** A scheduled job runs its task of the same name, one firing at a time across the cluster. */
    private static JobDetail scheduled(String name) {
        return JobBuilder.newJob(ExclusiveTaskJob.class).withIdentity(name, GROUP)
                .usingJobData(TaskJob.TASK, name).storeDurably().build();
    }

    @Override
    public void start() throws SchedulerException {
        String provider = "audit-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(provider, new PooledConnections(dataSource));
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", clusterName);
        properties.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.threadPool.threadCount", Integer.toString(configuration.getThreadCount()));
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        properties.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        properties.setProperty("org.quartz.jobStore.dataSource", provider);
        properties.setProperty("org.quartz.jobStore.tablePrefix", "qrtz_");
        properties.setProperty("org.quartz.jobStore.isClustered", "true");
        properties.setProperty("org.quartz.jobStore.clusterCheckinInterval",
                Long.toString(configuration.getClusterCheckinInterval().toMillis()));
        properties.setProperty("org.quartz.jobStore.misfireThreshold", "10000");
        properties.setProperty("org.quartz.jobStore.useProperties", "true");
        var created = new StdSchedulerFactory(properties).getScheduler();
        created.setJobFactory(jobFactory());
        for (Planned plan : planned) {
            plan(created, plan);
        }
        scheduler = created;
        if (configuration.isEnabled()) {
            created.start();
            LOG.info("scheduler started with {} jobs", planned.size());
        } else {
            LOG.warn("scheduling.enabled is false: jobs do not run on this instance");
        }
    }

    /**
     * Stores the job and its trigger, keeping a stored trigger whose schedule is unchanged: replacing
     * it would forget a run missed while the service was down.
     */
    private static void plan(Scheduler scheduler, Planned plan) throws SchedulerException {
        scheduler.addJob(plan.job(), true);
        Trigger stored = scheduler.getTrigger(plan.trigger().getKey());
        try {
            if (stored == null) {
                scheduler.scheduleJob(plan.trigger());
            } else if (!sameSchedule(stored, plan.trigger())) {
                scheduler.rescheduleJob(stored.getKey(), plan.trigger());
            }
        } catch (ObjectAlreadyExistsException e) {
            // another instance of the cluster stored it at the same moment
        }
    }

    private static boolean sameSchedule(Trigger stored, Trigger wanted) {
        if (stored instanceof CronTrigger a && wanted instanceof CronTrigger b) {
            return a.getCronExpression().equals(b.getCronExpression()) && a.getTimeZone().equals(b.getTimeZone());
        }
        if (stored instanceof SimpleTrigger a && wanted instanceof SimpleTrigger b) {
            return a.getRepeatInterval() == b.getRepeatInterval();
        }
        return false;
    }

    @Override
    public void stop() throws SchedulerException, InterruptedException {
        Scheduler running = scheduler;
        if (running == null) {
            return;
        }
        running.standby();
        long deadline = System.nanoTime() + configuration.getShutdownGrace().toNanos();
        while (!running.getCurrentlyExecutingJobs().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        running.shutdown(false);
    }

    /**
     * Runs the task {@code taskName} once as the job {@code jobName}, as soon as an instance of the
     * cluster can (also after a restart, if none could before). {@code data} holds ids only; the task
     * reloads its state.
     */
    public void runOnce(String taskName, String jobName, Map<String, String> data) throws SchedulerException {
        if (!tasks.containsKey(taskName)) {
            throw new IllegalArgumentException("no task named " + taskName);
        }
        if (data.containsKey(TaskJob.TASK) || data.containsKey(TaskJob.REQUEST_ID)) {
            throw new IllegalArgumentException("the job data keys " + TaskJob.TASK + " and " + TaskJob.REQUEST_ID
                    + " are the scheduler's");
        }
        JobDataMap jobData = new JobDataMap(data);
        jobData.put(TaskJob.TASK, taskName);
        // the job's log lines, and what it sends, carry the id of the request that started it
        RequestIds.current().ifPresent(id -> jobData.put(TaskJob.REQUEST_ID, id));
        JobDetail job = JobBuilder.newJob(TaskJob.class).withIdentity(jobName, GROUP).usingJobData(jobData)
                .requestRecovery(true).build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(jobName, GROUP).startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build();
        scheduler().scheduleJob(job, trigger);
    }

    public Scheduler scheduler() {
        Scheduler current = scheduler;
        if (current == null) {
            throw new IllegalStateException("the scheduler has not started");
        }
        return current;
    }

    public boolean isRunning() {
        Scheduler current = scheduler;
        try {
            return current != null && current.isStarted() && !current.isInStandbyMode() && !current.isShutdown();
        } catch (SchedulerException e) {
            return false;
        }
    }

    private JobFactory jobFactory() {
        Map<String, ScheduledTask> registered = Collections.unmodifiableMap(tasks);
        return (bundle, ignored) -> {
            Class<? extends Job> type = bundle.getJobDetail().getJobClass();
            if (type == ExclusiveTaskJob.class) {
                return new ExclusiveTaskJob(registered);
            }
            if (type == TaskJob.class) {
                return new TaskJob(registered);
            }
            throw new SchedulerException("job " + bundle.getJobDetail().getKey() + " is of the unknown class " + type.getName());
        };
    }

    /** Quartz borrows from the service's pool; the pool's lifecycle is the service's, not Quartz's. */
    private record PooledConnections(DataSource dataSource) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
        }

        @Override
        public void initialize() {
        }
    }
}
