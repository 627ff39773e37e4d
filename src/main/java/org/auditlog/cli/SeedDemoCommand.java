package org.auditlog.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.auditlog.AuditConfiguration;
import org.auditlog.access.Requester;
import org.auditlog.auth.ApiKeyService;
import org.auditlog.common.Rejection;
import org.auditlog.common.Timestamps;
import org.auditlog.database.Database;
import org.auditlog.database.Partitions;
import org.auditlog.database.EmbeddedDatabase;
import org.auditlog.event.Actor;
import org.auditlog.ingest.ChainWriter;
import org.auditlog.ingest.EventValidator;
import org.auditlog.ingest.IngestService;
import org.auditlog.integrity.EventHasher;
import org.auditlog.trail.Appended;

/**
 * {@code seed-demo config.yml --tenant demo [--events 20000] [--seed N]}: fills a tenant that has no
 * events yet with the last 90 days of a made-up company ({@link DemoEvents}), so that a newcomer
 * sees the console and the API at work. The events go through the validation and the chain writer
 * that ingest uses, in batches as a client would send them; a tenant that already has events is
 * refused, since demo data must never mix with a real audit log.
 */
public final class SeedDemoCommand extends ConfiguredCommand<AuditConfiguration> {
    static final int MAX_EVENTS = 1_000_000;
    private static final int BATCH = 1000;
    private static final long DEFAULT_SEED = 20_240_601L;
    private static final Actor COMMAND = new Actor("seed-demo", "system", "seed-demo command", null);

    public SeedDemoCommand() {
        super("seed-demo", "Fills a tenant that has no events yet with 90 days of varied demo events");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser.addArgument("--tenant").required(true).help("the tenant to fill; it must have no events yet");
        subparser.addArgument("--events").type(Integer.class).setDefault(20_000)
                .choices(Arguments.range(1, MAX_EVENTS)).help("how many events to write");
        subparser.addArgument("--seed").type(Long.class).setDefault(DEFAULT_SEED)
                .help("seed of the random choices: the same seed writes the same events, timed back from now");
    }

    @Override
    protected void run(Bootstrap<AuditConfiguration> bootstrap, Namespace namespace, AuditConfiguration configuration)
            throws Exception {
        String tenant = namespace.getString("tenant");
        if (!ApiKeyService.TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("--tenant " + tenant + " must match " + ApiKeyService.TENANT.pattern());
        }
        int count = namespace.getInt("events");
        Optional<EmbeddedDatabase> embedded = Database.resolve(configuration.getDatabase(),
                Path.of(configuration.getDataDir()));
        long started = System.nanoTime();
        try {
            Database.migrate(configuration.getDatabase());
            var jdbi = Database.standalone(configuration.getDatabase());
            var mapper = bootstrap.getObjectMapper();
            var writer = new ChainWriter(jdbi, new EventHasher(mapper), new Partitions(jdbi, configuration.getStorage()));
            long existing = writer.lastSeq(tenant);
            if (existing > 0) {
                throw new IllegalArgumentException("tenant " + tenant + " already has events (its chain is at seq "
                        + existing + "); demo events are written only to a tenant with none, so that they never mix "
                        + "with a real audit log. Choose another --tenant.");
            }
            int batch = Math.min(BATCH, configuration.getIngest().getMaxBatchSize());
            var ingest = new IngestService(new EventValidator(configuration.getIngest().getMaxFutureSkew(), mapper),
                    writer, batch);
            seed(ingest, tenant, new DemoEvents(namespace.getLong("seed"), count, Timestamps.now()), count, batch);
        } finally {
            embedded.ifPresent(EmbeddedDatabase::close);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.println("Wrote " + count + " demo events to tenant " + tenant
                + String.format(" in %.1f s.", seconds));
        System.out.println("To look at them, make a key and open the console at http://localhost:8080/console/"
                + " (or read GET /api/v1/events with the key):");
        System.out.println("  java -jar target/audit-service.jar create-key config.yml --tenant " + tenant
                + " --role auditor --name demo");
        System.out.flush();
    }

    /**
     * Sends the events in batches, as {@code POST /api/v1/events/batch} bodies, printing progress
     * every tenth. Stops when anyone else appended to the tenant meanwhile.
     */
    private static void seed(IngestService ingest, String tenant, DemoEvents events, int count, int batch) {
        Requester requester = new Requester(tenant, COMMAND, "command:seed-demo");
        int written = 0;
        int reported = 0;
        while (events.hasNext()) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            ArrayNode array = body.putArray("events");
            while (events.hasNext() && array.size() < batch) {
                array.add(events.next());
            }
            List<Appended> appended;
            try {
                appended = ingest.ingestBatch(requester, body);
            } catch (Rejection e) {
                throw new IllegalStateException("a demo event was not valid: " + e.getMessage() + " " + e.details(), e);
            }
            if (appended.get(0).event().seq() != written + 1) {
                throw new IllegalStateException("something else appended to tenant " + tenant + " while it was "
                        + "being filled; stopped after " + written + " demo events");
            }
            written += appended.size();
            if (written * 10L / count > reported) {
                reported = (int) (written * 10L / count);
                System.out.println("  " + written + " of " + count + " events written");
            }
        }
    }

    /** A refusal (a tenant with events, a bad name) is told in one line, without a stack trace. */
    @Override
    public void onError(Cli cli, Namespace namespace, Throwable error) {
        if (error instanceof IllegalArgumentException) {
            cli.getStdErr().println(error.getMessage());
            cli.getStdErr().flush();
        } else {
            super.onError(cli, namespace, error);
        }
    }
}
