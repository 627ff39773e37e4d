package org.auditlog.cli;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.auditlog.AuditConfiguration;
import org.auditlog.auth.ApiKeyService;
import org.auditlog.auth.KeyAuditTrail;
import org.auditlog.auth.KeyCache;
import org.auditlog.common.Rejection;
import org.auditlog.database.Database;
import org.auditlog.database.Partitions;
import org.auditlog.database.EmbeddedDatabase;
import org.auditlog.ingest.ChainWriter;
import org.auditlog.integrity.EventHasher;
import org.auditlog.trail.AuditTrail;

/**
 * {@code create-key config.yml --tenant acme --role admin --name bootstrap}: the first key of a tenant.
 * Applies pending migrations first; the last line on standard output is the key itself.
 */
public final class CreateKeyCommand extends ConfiguredCommand<AuditConfiguration> {
    public CreateKeyCommand() {
        super("create-key", "Creates an API key for a tenant and prints it (last line of output)");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser.addArgument("--tenant").required(true).help("tenant the key belongs to");
        subparser.addArgument("--role").required(true).action(Arguments.append())
                .help("ingest, auditor or admin (repeatable)");
        subparser.addArgument("--name").setDefault("bootstrap").help("a name that says what the key is for");
    }

    @Override
    protected void run(Bootstrap<AuditConfiguration> bootstrap, Namespace namespace, AuditConfiguration configuration)
            throws Exception {
        Optional<EmbeddedDatabase> embedded = Database.resolve(configuration.getDatabase(),
                Path.of(configuration.getDataDir()));
        ApiKeyService.CreatedKey created;
        try {
            Database.migrate(configuration.getDatabase());
            var jdbi = Database.standalone(configuration.getDatabase());
            var writer = new ChainWriter(jdbi, new EventHasher(bootstrap.getObjectMapper()),
                    new Partitions(jdbi, configuration.getStorage()));
            var keys = new ApiKeyService(jdbi, new KeyAuditTrail(new AuditTrail(writer)), KeyCache.none());
            List<String> roles = namespace.getList("role");
            created = keys.createFromCommand(namespace.getString("tenant"), namespace.getString("name"), roles);
        } catch (Rejection e) {
            throw new IllegalArgumentException(e.getMessage() + " " + e.details());
        } finally {
            embedded.ifPresent(EmbeddedDatabase::close);
        }
        System.out.println("Created API key " + created.key().id() + " (" + created.key().name() + ") for tenant "
                + created.key().tenant() + " with roles " + String.join(",", created.key().roles())
                + ". It is shown only now:");
        System.out.println(created.secret());
        System.out.flush();
    }
}
