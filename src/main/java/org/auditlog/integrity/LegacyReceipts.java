package org.auditlog.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.auditlog.common.Timestamps;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receipts for what retention deleted before it wrote receipts. The migration that introduced them
 * recorded, per tenant, the ranges the links and the anchor then stored stood for; at start the
 * service signs each into a receipt marked {@code legacy}, through a database function that accepts
 * exactly the recorded ranges, so a deployment that ran retention before does not report a break.
 */
public final class LegacyReceipts {
    private static final Logger LOG = LoggerFactory.getLogger(LegacyReceipts.class);

    private LegacyReceipts() {
    }

    public interface Dao {
        record Backlog(String tenant, String ranges) {
        }

        @SqlQuery("select tenant, ranges::text as ranges from legacy_receipt_backlog order by tenant")
        @RegisterConstructorMapper(Backlog.class)
        List<Backlog> backlog();

        @SqlQuery("select audit_issue_legacy_receipt(:tenant, :id, :statement, :keyId, :signature)::text")
        String issue(@Bind("tenant") String tenant, @Bind("id") UUID id, @Bind("statement") String statement,
                     @Bind("keyId") String keyId, @Bind("signature") byte[] signature);
    }

    /** Signs the recorded backlog into receipts; answers how many tenants got one. */
    public static int issue(Jdbi jdbi, SigningKeys keys) {
        List<Dao.Backlog> backlog = jdbi.withExtension(Dao.class, Dao::backlog);
        for (Dao.Backlog entry : backlog) {
            JsonNode ranges = read(entry.ranges());
            UUID id = UUID.randomUUID();
            Instant now = Timestamps.now();
            var signed = keys.sign(keyId -> RetentionReceipts.legacyStatement(id, entry.tenant(), now,
                    ranges, keyId));
            try {
                jdbi.useExtension(Dao.class, dao -> dao.issue(entry.tenant(), id,
                        signed.statementText(), signed.keyId(), signed.signature()));
            } catch (RuntimeException e) {
                // another instance starting at the same time issued it first; verification tells if not
                LOG.warn("no retention receipt issued for tenant {}'s earlier deletions: {}", entry.tenant(),
                        e.getMessage());
                continue;
            }
            LOG.info("issued a retention receipt for tenant {} covering what retention deleted before receipts existed",
                    entry.tenant());
        }
        return backlog.size();
    }

    private static JsonNode read(String json) {
        try {
            return RetentionReceipts.STATEMENTS.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
