package org.auditlog.integrity;

import io.dropwizard.core.setup.Environment;
import java.nio.file.Path;
import java.time.Duration;
import org.auditlog.ingest.AuditTrail;
import org.auditlog.scheduling.JobScheduler;
import org.jdbi.v3.core.Jdbi;

/** Integrity: verification, signed checkpoints, signing keys, their jobs, tasks and health check. */
public final class IntegrityFeature {
    private IntegrityFeature() {
    }

    public static SigningKeys register(Environment environment, IntegrityConfiguration configuration, Path dataDir,
                                       Jdbi jdbi, JobScheduler scheduler, AuditTrail trail) {
        var mapper = environment.getObjectMapper();
        var keys = SigningKeys.load(configuration.getSigningKeyFile(), dataDir, jdbi);
        var verifier = new ChainVerifier(jdbi, new EventHasher(mapper));
        var checkpoints = new CheckpointService(jdbi, keys, mapper);
        var continuous = new ContinuousVerification(jdbi, verifier);

        environment.jersey().register(new IntegrityResource(new IntegrityService(verifier, checkpoints, keys, trail)));
        scheduler.register(CheckpointJob.class, () -> new CheckpointJob(checkpoints));
        scheduler.register(VerificationJob.class, () -> new VerificationJob(continuous));
        scheduler.every("checkpoint", CheckpointJob.class,
                Duration.ofMillis(configuration.getCheckpointInterval().toMilliseconds()));
        scheduler.every("verify-chains", VerificationJob.class,
                Duration.ofMillis(configuration.getVerificationInterval().toMilliseconds()));
        environment.healthChecks().register("integrity", continuous.healthCheck());
        environment.admin().addTask(IntegrityTasks.verifyChain(continuous, mapper));
        environment.admin().addTask(IntegrityTasks.checkpoint(checkpoints));
        environment.admin().addTask(IntegrityTasks.rotateSigningKey(keys));
        return keys;
    }
}
