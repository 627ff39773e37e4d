package org.auditlog.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.auditlog.common.Timestamps;
import org.jdbi.v3.core.mapper.reflect.ColumnName;

/**
 * Signed receipts of what retention deleted (see docs/integrity.md). A receipt states, for one
 * tenant, the seq ranges it deleted with the hash before each range ({@code prevHash}) and the
 * hash of its last event ({@code lastHash}), when, under which policy, and which key signed it.
 * The signature covers the JCS (RFC 8785) form of the statement, stored as it was signed.
 */
public final class RetentionReceipts {
    private static final HexFormat HEX = HexFormat.of();
    /** Reads stored statements; one mapper for the process, as Jackson intends. */
    static final ObjectMapper STATEMENTS = Jackson.newObjectMapper();

    private RetentionReceipts() {
    }

    /** A run of consecutive deleted seqs and the hashes at its two ends. */
    public record Range(long fromSeq, long toSeq, byte[] prevHash, byte[] lastHash) {
        ObjectNode json() {
            return JsonNodeFactory.instance.objectNode().put("fromSeq", fromSeq).put("toSeq", toSeq)
                    .put("prevHash", HEX.formatHex(prevHash)).put("lastHash", HEX.formatHex(lastHash));
        }
    }

    /** An event about to be deleted: its seq and its link. */
    public record Deleted(long seq, byte[] prevHash, byte[] hash) {
    }

    /** The policy a deleting batch applied: a category ({@code *} for every other one), its days and cutoff. */
    public record Policy(String category, int retainDays, Instant cutoff) {
    }

    /** The ranges of consecutive seqs among {@code deleted}, in seq order. */
    public static List<Range> ranges(List<Deleted> deleted) {
        List<Deleted> sorted = deleted.stream().sorted(Comparator.comparingLong(Deleted::seq)).toList();
        List<Range> ranges = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= sorted.size(); i++) {
            if (i == sorted.size() || sorted.get(i).seq() != sorted.get(i - 1).seq() + 1) {
                Deleted first = sorted.get(start);
                Deleted last = sorted.get(i - 1);
                ranges.add(new Range(first.seq(), last.seq(), first.prevHash(), last.hash()));
                start = i;
            }
        }
        return ranges;
    }

    /** The statement of a receipt written by a retention run, as the signature covers it. */
    public static byte[] statement(UUID id, String tenant, UUID runId, Instant time, Policy policy, List<Range> ranges,
                                   String keyId) {
        ObjectNode statement = base(id, tenant, time, keyId);
        statement.put("runId", runId.toString());
        statement.putObject("policy").put("category", policy.category()).put("retainDays", policy.retainDays())
                .put("cutoff", Timestamps.format(policy.cutoff()));
        ArrayNode array = statement.putArray("ranges");
        ranges.forEach(range -> array.add(range.json()));
        return canonical(statement);
    }

    /**
     * The statement of a receipt of a tenant's events in a partition retention dropped whole: the
     * partition (its name and the receipt times it held) and every policy that applied to them.
     */
    public static byte[] partitionStatement(UUID id, String tenant, UUID runId, Instant time, String partition,
                                            Instant receivedFrom, Instant receivedBefore, List<Policy> policies,
                                            List<Range> ranges, String keyId) {
        ObjectNode statement = base(id, tenant, time, keyId);
        statement.put("runId", runId.toString());
        ObjectNode dropped = statement.putObject("partition").put("name", partition)
                .put("receivedBefore", Timestamps.format(receivedBefore));
        if (receivedFrom != null) {
            dropped.put("receivedFrom", Timestamps.format(receivedFrom));
        }
        ArrayNode applied = statement.putArray("policies");
        policies.forEach(policy -> applied.addObject().put("category", policy.category())
                .put("retainDays", policy.retainDays()).put("cutoff", Timestamps.format(policy.cutoff())));
        ArrayNode array = statement.putArray("ranges");
        ranges.forEach(range -> array.add(range.json()));
        return canonical(statement);
    }

    /**
     * The statement of a receipt issued at upgrade for what retention deleted before receipts
     * existed: {@code ranges} as the migration recorded them from the links and anchor then stored.
     */
    public static byte[] legacyStatement(UUID id, String tenant, Instant time, JsonNode ranges, String keyId) {
        ObjectNode statement = base(id, tenant, time, keyId);
        statement.put("legacy", true);
        statement.put("note", "issued at upgrade for deletions made before retention wrote receipts");
        statement.set("ranges", ranges);
        return canonical(statement);
    }

    private static ObjectNode base(UUID id, String tenant, Instant time, String keyId) {
        return JsonNodeFactory.instance.objectNode().put("type", "retention-receipt").put("receiptId", id.toString())
                .put("tenant", tenant).put("time", Timestamps.format(time)).put("keyId", keyId);
    }

    private static byte[] canonical(ObjectNode statement) {
        return CanonicalJson.utf8(statement);
    }

    /** A receipt as stored: nothing is assumed of it. */
    public record Stored(UUID id, String statement, @ColumnName("key_id") String keyId, byte[] signature) {
    }

    /**
     * What a tenant's receipts, those whose signature verifies, cover; and the first receipt that does
     * not verify, by the lowest seq it claims.
     */
    static final class Coverage {
        private final TreeMap<Long, Range> byFrom = new TreeMap<>();
        private long firstBadSeq = Long.MAX_VALUE;
        private String badReason;

        static Coverage of(String tenant, List<Stored> receipts, TrustedKeys keys) {
            Coverage coverage = new Coverage();
            for (Stored receipt : receipts) {
                coverage.add(tenant, receipt, keys);
            }
            return coverage;
        }

        private void add(String tenant, Stored receipt, TrustedKeys keys) {
            List<Range> ranges;
            try {
                ranges = parse(tenant, receipt);
            } catch (RuntimeException | IOException e) {
                bad(0, "retention receipt " + receipt.id() + " cannot be read");
                return;
            }
            long first = ranges.stream().mapToLong(Range::fromSeq).min().orElse(0);
            String problem = receipt.statement() == null ? "has no statement"
                    : keys.problem(receipt.keyId(), receipt.statement().getBytes(StandardCharsets.UTF_8),
                    receipt.signature());
            if (problem != null) {
                bad(first, "retention receipt " + receipt.id() + " " + problem);
                return;
            }
            ranges.forEach(range -> byFrom.put(range.fromSeq(), range));
        }

        private static List<Range> parse(String tenant, Stored receipt) throws IOException {
            JsonNode statement = STATEMENTS.readTree(receipt.statement());
            if (!tenant.equals(statement.path("tenant").asText(null))
                    || !statement.path("keyId").asText("").equals(receipt.keyId())) {
                throw new IOException("the statement is not the tenant's or not its key's");
            }
            List<Range> ranges = new ArrayList<>();
            for (JsonNode range : statement.path("ranges")) {
                ranges.add(new Range(range.get("fromSeq").asLong(), range.get("toSeq").asLong(),
                        HEX.parseHex(range.get("prevHash").asText()), HEX.parseHex(range.get("lastHash").asText())));
            }
            if (ranges.isEmpty()) {
                throw new IOException("no ranges");
            }
            return ranges;
        }

        private void bad(long seq, String reason) {
            if (seq < firstBadSeq) {
                firstBadSeq = seq;
                badReason = reason;
            }
        }

        /** The lowest seq a receipt that does not verify claims, or {@link Long#MAX_VALUE}. */
        long firstBadSeq() {
            return firstBadSeq;
        }

        String badReason() {
            return badReason;
        }

        Optional<Range> covering(long seq) {
            Map.Entry<Long, Range> entry = byFrom.floorEntry(seq);
            return entry != null && entry.getValue().toSeq() >= seq ? Optional.of(entry.getValue()) : Optional.empty();
        }

        /**
         * Null when verified receipts cover every seq from 1 to the anchor's, each range continuing the
         * one before from the genesis hash, and the last ending on the anchor's hash; otherwise the
         * first seq where that fails, with why.
         */
        Break anchorProblem(long anchorSeq, byte[] anchorHash) {
            long expected = 1;
            byte[] previous = EventHasher.GENESIS;
            while (expected <= anchorSeq) {
                Range range = byFrom.get(expected);
                if (range == null) {
                    return new Break(expected, "retention's anchor at seq " + anchorSeq
                            + " is not covered by signed receipts from this seq on");
                }
                if (!Arrays.equals(range.prevHash(), previous)) {
                    return new Break(expected, "the receipts covering retention's anchor do not chain at this seq");
                }
                previous = range.lastHash();
                expected = range.toSeq() + 1;
            }
            if (expected != anchorSeq + 1 || !Arrays.equals(previous, anchorHash)) {
                return new Break(anchorSeq, "retention's anchor differs from the signed receipts");
            }
            return null;
        }
    }

    record Break(long seq, String reason) {
    }
}
