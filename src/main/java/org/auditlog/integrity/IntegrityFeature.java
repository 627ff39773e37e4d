package org.auditlog.integrity;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.auditlog.common.TenantConcurrency;
import org.auditlog.outbound.OutboundConfiguration;
import org.auditlog.outbound.OutboundGuard;
import org.auditlog.outbound.OutboundHttpClient;
import org.auditlog.trail.Platform;
import org.auditlog.trail.RecordedTask;

/** Integrity: verification, signed checkpoints, signing keys, their jobs, tasks and health check. */
public final class IntegrityFeature {
    private IntegrityFeature() {
    }

    /** How soon a tenant at its cap of whole-chain verifications is told to try again. */
    private static final Duration VERIFICATION_RETRY = Duration.ofSeconds(10);

    /** How long the checkpoint webhook may take to answer: the checkpoint job waits for it. */
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);

    /** The signing keys, which exports and retention sign with, and the service the console asks. */
    public record Integrity(SigningKeys keys, IntegrityService service) {
    }

    public static Integrity register(Environment environment, IntegrityConfiguration configuration, Platform platform) {
        var mapper = environment.getObjectMapper();
        var jdbi = platform.jdbi();
        var dataDir = platform.dataDir();
        var scheduler = platform.scheduler();
        var keys = SigningKeys.load(configuration.getSigningKeyFile(), dataDir, jdbi);
        LegacyReceipts.issue(jdbi, keys);
        var verifier = new ChainVerifier(jdbi, new EventHasher(mapper), keys::trusted);
        var checkpoints = new CheckpointService(jdbi, keys, publisher(environment, configuration, dataDir,
                platform.outbound()));
        var continuous = new ContinuousVerification(jdbi, verifier, keys,
                configuration.getFullVerificationInterval());

        var wholeChains = new TenantConcurrency("verifications of the whole chain (without fromSeq and toSeq)",
                "concurrentVerifications", platform.limits().getConcurrentVerifications(), VERIFICATION_RETRY);
        var service = new IntegrityService(verifier, checkpoints, keys, platform.trail(), wholeChains);
        environment.jersey().register(new IntegrityResource(service));
        scheduler.every("checkpoint", firing -> checkpoints.checkpointAll(), configuration.getCheckpointInterval());
        scheduler.every("verify-chains", firing -> continuous.verifyAll(), configuration.getVerificationInterval());
        environment.healthChecks().register("integrity", continuous.healthCheck());
        environment.admin().addTask(IntegrityTasks.verifyChain(continuous, mapper));
        environment.admin().addTask(new RecordedTask(IntegrityTasks.checkpoint(checkpoints), platform.trail()));
        environment.admin().addTask(new RecordedTask(IntegrityTasks.rotateSigningKey(keys), platform.trail()));
        return new Integrity(keys, service);
    }

    private static CheckpointPublisher publisher(Environment environment, IntegrityConfiguration configuration,
                                                 Path dataDir, OutboundConfiguration outbound) {
        var folder = new CheckpointFolder(CheckpointFolder.folder(configuration.getPublishDir(), dataDir),
                environment.getObjectMapper());
        var guard = OutboundGuard.of(outbound);
        Optional<CheckpointPublisher.Webhook> webhook = CheckpointPublisher.destination(configuration.getPublishUrl(), guard)
                .map(url -> {
                    var client = new OutboundHttpClient(guard, PUBLISH_TIMEOUT, 1);
                    environment.lifecycle().manage(new Managed() {
                        @Override
                        public void stop() {
                            client.close();
                        }
                    });
                    return new CheckpointPublisher.Webhook(url, client);
                });
        return new CheckpointPublisher(folder, webhook, environment.metrics().counter(CheckpointPublisher.FAILURES));
    }
}
