package org.auditlog.cli;

import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.auditlog.AuditConfiguration;
import org.auditlog.database.Database;
import org.auditlog.database.EmbeddedDatabase;
import org.auditlog.integrity.ChainVerifier;
import org.auditlog.integrity.EventHasher;
import org.auditlog.integrity.KeptCheckpoints;
import org.auditlog.integrity.SigningKeys;
import org.auditlog.integrity.TrustedKeys;
import org.auditlog.integrity.VerificationResult;

/**
 * {@code verify config.yml --tenant acme [--from-seq N] [--to-seq M] [--public-key FILE]... [--checkpoint FILE]...}:
 * verifies a tenant's chain straight from the database, with no server running, and against the
 * checkpoints an auditor kept outside it. Prints the result as JSON; exits non-zero when broken.
 */
public final class VerifyCommand extends ConfiguredCommand<AuditConfiguration> {
    public VerifyCommand() {
        super("verify", "Verifies a tenant's hash chain from the database, without the server");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser.addArgument("--tenant").required(true).help("the tenant whose chain to verify");
        subparser.addArgument("--from-seq").dest("fromSeq").type(Long.class).help("first seq (default: the oldest kept)");
        subparser.addArgument("--to-seq").dest("toSeq").type(Long.class).help("last seq (default: the newest)");
        subparser.addArgument("--public-key").dest("publicKeys").action(Arguments.append()).metavar("FILE")
                .help("a PEM file of public keys whose signatures count (repeatable); default: the keys in the "
                        + "service's signing-key folder");
        subparser.addArgument("--checkpoint").dest("checkpoints").action(Arguments.append()).metavar("FILE")
                .help("a checkpoint kept outside the database (a .json file of the checkpoint folder, or a checkpoint "
                        + "the API listed) that the chain must reach and agree with (repeatable)");
    }

    /**
     * The keys given with {@code --public-key}, or else those of the signing-key folder of the
     * configuration: never the keys the database lists, which whoever can write to it could add to.
     */
    private static TrustedKeys trustedKeys(Namespace namespace, AuditConfiguration configuration) {
        List<String> files = namespace.getList("publicKeys");
        if (files != null && !files.isEmpty()) {
            TrustedKeys keys = TrustedKeys.fromFiles(readableFiles(files, "--public-key"));
            if (keys.keyIds().isEmpty()) {
                throw new IllegalArgumentException("--public-key files hold no Ed25519 PUBLIC KEY block");
            }
            return keys;
        }
        Path keyFile = SigningKeys.file(configuration.getIntegrity().getSigningKeyFile(), Path.of(configuration.getDataDir()));
        return TrustedKeys.fromFolder(keyFile.toAbsolutePath().getParent());
    }

    @Override
    protected void run(Bootstrap<AuditConfiguration> bootstrap, Namespace namespace, AuditConfiguration configuration)
            throws Exception {
        String tenant = namespace.getString("tenant");
        List<Path> kept = readableFiles(namespace.getList("checkpoints"), "--checkpoint");
        Optional<EmbeddedDatabase> embedded = Database.resolve(configuration.getDatabase(), Path.of(configuration.getDataDir()));
        KeptCheckpoints.Report report;
        try {
            var jdbi = Database.standalone(configuration.getDatabase());
            TrustedKeys trusted = trustedKeys(namespace, configuration);
            var mapper = bootstrap.getObjectMapper();
            var verifier = new ChainVerifier(jdbi, new EventHasher(mapper), () -> trusted);
            report = new KeptCheckpoints(jdbi, verifier, mapper).verify(tenant,
                    Optional.ofNullable(namespace.getLong("fromSeq")), Optional.ofNullable(namespace.getLong("toSeq")),
                    trusted, kept);
        } finally {
            embedded.ifPresent(EmbeddedDatabase::close);
        }
        System.out.println(bootstrap.getObjectMapper().writeValueAsString(report));
        System.out.flush();
        VerificationResult result = report.chain();
        List<String> problems = new ArrayList<>();
        if (!result.ok()) {
            problems.add("the chain of tenant " + tenant + " is broken at seq " + result.firstBrokenSeq() + ": "
                    + result.reason());
        }
        report.keptCheckpoints().stream().filter(checkpoint -> !checkpoint.ok())
                .forEach(checkpoint -> problems.add("kept checkpoint " + checkpoint.file() + ": " + checkpoint.reason()));
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
    }

    private static List<Path> readableFiles(List<String> files, String option) {
        if (files == null) {
            return List.of();
        }
        for (String file : files) {
            if (!Files.isRegularFile(Path.of(file))) {
                throw new IllegalArgumentException(option + " " + file + " is not a readable file");
            }
        }
        return files.stream().map(Path::of).toList();
    }
}
