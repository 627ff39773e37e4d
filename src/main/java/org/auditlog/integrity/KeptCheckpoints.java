package org.auditlog.integrity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.auditlog.common.Timestamps;
import org.auditlog.database.Database;
import org.jdbi.v3.core.Jdbi;

/**
 * Checks a chain in the database against checkpoints an auditor kept outside it (the files of the
 * checkpoint folder, or checkpoints the API listed). Whoever can write to the database can rewrite
 * the whole chain with recomputed hashes and re-sign its checkpoints with a key of their own; a
 * checkpoint kept elsewhere, signed by a key the auditor trusts, still says what the chain held.
 */
public final class KeptCheckpoints {
    /** What one kept checkpoint showed. */
    @JsonPropertyOrder({"file", "seq", "ok", "reason"})
    public record Kept(String file, Long seq, boolean ok, @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {
        public Kept {
            requireNonNull(file, "file is null");
        }
    }

    /** The chain's verification, and what each kept checkpoint showed (left out when none was given). */
    public record Report(@JsonUnwrapped VerificationResult chain,
                         @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Kept> keptCheckpoints) {
        public Report {
            requireNonNull(chain, "chain is null");
            keptCheckpoints = List.copyOf(keptCheckpoints);
        }
    }

    /** A kept checkpoint as read from its file, or why it could not be read. */
    private record Read(Path file, Optional<Checkpoint> checkpoint, String problem) {
    }

    /** What the database holds for a tenant where a kept checkpoint points. */
    private record Held(long head, Optional<byte[]> hash, Optional<VerificationDao.Anchor> anchor) {
    }

    private final Jdbi jdbi;
    private final ChainVerifier verifier;
    private final ObjectMapper mapper;

    public KeptCheckpoints(Jdbi jdbi, ChainVerifier verifier, ObjectMapper mapper) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        Database.prepare(jdbi, VerificationDao.class);
        this.verifier = requireNonNull(verifier, "verifier is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    /**
     * Verifies {@code tenant}'s chain over the range asked, extended to the furthest kept checkpoint,
     * and checks each kept checkpoint: its signature is a trusted key's, it is {@code tenant}'s, the
     * database's chain reaches its seq and holds its hash there, and the chain verifies up to it.
     */
    public Report verify(String tenant, Optional<Long> fromSeq, Optional<Long> toSeq, TrustedKeys trusted,
                         List<Path> files) {
        List<Read> kept = files.stream().map(this::read).toList();
        long furthest = kept.stream().flatMap(r -> r.checkpoint().stream()).mapToLong(Checkpoint::seq).max().orElse(0);
        VerificationResult chain = verifier.verify(tenant, fromSeq, toSeq.map(to -> Math.max(to, furthest)));
        List<Kept> results = new ArrayList<>();
        for (Read read : kept) {
            String file = read.file().toString();
            if (read.checkpoint().isEmpty()) {
                results.add(new Kept(file, null, false, read.problem()));
                continue;
            }
            Checkpoint checkpoint = read.checkpoint().get();
            String problem = problem(tenant, checkpoint, trusted, chain);
            results.add(new Kept(file, checkpoint.seq(), problem == null, problem));
        }
        return new Report(chain, results);
    }

    private String problem(String tenant, Checkpoint checkpoint, TrustedKeys trusted, VerificationResult chain) {
        String signature = trusted.problem(checkpoint.keyId(), checkpoint.statement(), checkpoint.signatureBytes());
        if (signature != null) {
            return "the kept checkpoint is " + signature;
        }
        if (!checkpoint.tenant().equals(tenant)) {
            return "the kept checkpoint is tenant " + checkpoint.tenant() + "'s, not " + tenant + "'s";
        }
        long seq = checkpoint.seq();
        Held database = jdbi.inTransaction(handle -> {
            VerificationDao dao = handle.attach(VerificationDao.class);
            return new Held(dao.headSeq(tenant).orElse(0L), dao.hashAt(tenant, seq), dao.anchor(tenant));
        });
        if (database.head() < seq) {
            return "the database's chain does not reach the kept checkpoint at seq " + seq + " (its head is at seq "
                    + database.head() + ")";
        }
        Optional<VerificationDao.Anchor> anchor = database.anchor();
        Optional<byte[]> held = database.hash().or(() -> anchor.filter(a -> a.seq() == seq).map(VerificationDao.Anchor::hash));
        if (held.isEmpty()) {
            return anchor.isPresent() && seq < anchor.get().seq()
                    ? "cannot be confirmed: retention deleted seq " + seq + " and its link (the chain now starts after seq "
                            + anchor.get().seq() + "); keep a newer checkpoint"
                    : "the database holds neither an event nor a retention link at seq " + seq;
        }
        if (!Arrays.equals(held.get(), checkpoint.hashBytes())) {
            return "the database's hash at seq " + seq + " differs from the kept checkpoint's";
        }
        if (!chain.ok() && chain.firstBrokenSeq() <= seq) {
            return "the chain is broken at seq " + chain.firstBrokenSeq() + ", before the kept checkpoint";
        }
        if (chain.ok() && chain.toSeq() < seq) {
            return "the chain was verified only up to seq " + chain.toSeq();
        }
        return null;
    }

    private Read read(Path file) {
        JsonNode json;
        try {
            json = mapper.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            return new Read(file, Optional.empty(), "cannot be read as JSON (" + e.getClass().getSimpleName() + ")");
        }
        try {
            String tenant = text(json, "tenant");
            JsonNode seq = json.get("seq");
            if (seq == null || !seq.canConvertToExactIntegral() || seq.asLong() < 1) {
                throw new IllegalArgumentException("seq must be a positive integer");
            }
            byte[] hash = HexFormat.of().parseHex(text(json, "hash"));
            Instant time = Timestamps.parse(text(json, "time"))
                    .orElseThrow(() -> new IllegalArgumentException("time is not a timestamp"));
            byte[] signature = Base64.getDecoder().decode(text(json, "signature"));
            return new Read(file, Optional.of(new Checkpoint(tenant, seq.asLong(), hash, time, text(json, "keyId"),
                    signature)), null);
        } catch (IllegalArgumentException e) {
            return new Read(file, Optional.empty(), "is not a checkpoint {tenant, seq, hash, time, keyId, signature}: "
                    + e.getMessage());
        }
    }

    private static String text(JsonNode json, String member) {
        JsonNode value = json.get(member);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(member + " must be a string");
        }
        return value.asText();
    }
}
