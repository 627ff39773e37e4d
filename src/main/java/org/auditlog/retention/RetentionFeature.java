package org.auditlog.retention;

import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.auditlog.database.Partitions;
import org.auditlog.integrity.SigningKeys;
import org.auditlog.trail.Platform;
import org.auditlog.trail.RecordedTask;
import org.jdbi.v3.core.Jdbi;

/** Retention: policies, legal holds, runs, the scheduled job, the task and the health check. */
public final class RetentionFeature {
    private RetentionFeature() {
    }

    /** The three services, for the console's pages. */
    public record Retention(RetentionPolicies policies, LegalHolds holds, RetentionRunner runner) {
    }

    public static Retention register(Environment environment, RetentionConfiguration configuration, Platform platform,
                                     SigningKeys keys, Partitions partitions) {
        var jdbi = platform.jdbi();
        var trail = platform.trail();
        var retention = new RetentionRunner(jdbi, keys, configuration, trail, environment.metrics(), partitions);
        var services = new Retention(new RetentionPolicies(jdbi, configuration, trail), new LegalHolds(jdbi, trail),
                retention);
        environment.jersey().register(new RetentionResource(services.policies(), services.holds(), retention,
                platform.bodies()));
        platform.scheduler().cron("retention", retention::runOnSchedule, configuration.getSchedule());
        // a dry run changes nothing, and is not recorded
        environment.admin().addTask(new RecordedTask(task(retention, environment), platform.trail(),
                parameters -> RetentionRunner.dryRun(parameters.get("dryRun")).orElse(false)));
        environment.healthChecks().register("retention", healthCheck(jdbi));
        return services;
    }

    /**
     * {@code POST /tasks/retention-run?dryRun=true|false}: runs every tenant now and prints the runs;
     * with {@code tenant=<t>}, that tenant's run alone (batched deletes: partitions span tenants).
     */
    private static Task task(RetentionRunner retention, Environment environment) {
        return new Task("retention-run") {
            @Override
            public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
                boolean dryRun = RetentionRunner.dryRun(parameters.get("dryRun"))
                        .orElseThrow(() -> new IllegalArgumentException("dryRun must be true or false"));
                List<String> tenant = parameters.getOrDefault("tenant", List.of());
                if (tenant.size() > 1 || tenant.size() == 1 && tenant.get(0).isBlank()) {
                    throw new IllegalArgumentException("tenant must be given once, not blank");
                }
                var runs = tenant.isEmpty() ? retention.runAll(dryRun, "task")
                        : List.of(retention.run(tenant.get(0), dryRun, "task", RecordedTask.OPERATOR)
                                .orElseThrow(() -> new IllegalStateException("a retention run of this tenant is in progress")));
                output.println(environment.getObjectMapper().writeValueAsString(Map.of("runs", runs)));
            }
        };
    }

    /** Unhealthy when the last run of some tenant failed; healthy while none has run yet. */
    private static HealthCheck healthCheck(Jdbi jdbi) {
        return new HealthCheck() {
            @Override
            protected Result check() {
                List<RetentionRun> last = jdbi.withExtension(RetentionDao.class, RetentionDao::lastRuns);
                if (last.isEmpty()) {
                    return Result.healthy("no run yet");
                }
                var failed = last.stream().filter(run -> run.error() != null).toList();
                if (!failed.isEmpty()) {
                    return Result.unhealthy("the last run failed for %d tenant(s), first %s: %s",
                            failed.size(), failed.get(0).tenant(), failed.get(0).error());
                }
                return Result.healthy("the last run of each of %d tenant(s) succeeded", last.size());
            }
        };
    }
}
