package org.auditlog.export;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.auditlog.common.Digests;
import org.auditlog.database.Database;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.EventWhere;
import org.jdbi.v3.core.Jdbi;

/**
 * Writes every event of a tenant that matches a filter, ascending by seq, reading them inside one
 * transaction with a fetch size so memory stays flat whatever the size, from the database it is
 * given (the read replica for a streamed export while it keeps up, the primary for a background one).
 */
public final class StreamedExport {
    private final com.codahale.metrics.Meter rowsExported;

    public StreamedExport(Jdbi primary, com.codahale.metrics.Meter rowsExported) {
        Database.prepare(primary, ExportDao.class);
        this.rowsExported = requireNonNull(rowsExported, "rowsExported is null");
    }

    /** What was written. */
    public record Written(long rowCount, Long firstSeq, Long lastSeq, String sha256) {
    }

    /** Writes the export; {@code written} counts the rows handed to {@code out} so far, also when it fails. */
    public Written write(Jdbi jdbi, String tenant, EventFilter filter, ExportFormat format, OutputStream out, AtomicLong written)
            throws IOException {
        MessageDigest digest = Digests.sha256();
        EventWhere where = EventWhere.of(tenant, filter);
        var counting = new long[] {0, 0, 0};
        try (var digesting = new DigestOutputStream(out, digest) {
            @Override
            public void close() throws IOException {
                flush();
            }
        }) {
            jdbi.useTransaction(handle -> {
                try (ExportWriter writer = ExportWriter.open(format, digesting);
                     var rows = handle.attach(ExportDao.class).rows(where).stream()) {
                    var iterator = rows.iterator();
                    while (iterator.hasNext()) {
                        ExportRow row = iterator.next();
                        writer.write(row);
                        if (counting[0] == 0) {
                            counting[1] = row.seq();
                        }
                        counting[2] = row.seq();
                        counting[0]++;
                        written.set(counting[0]);
                        if (counting[0] % 1000 == 0) {
                            rowsExported.mark(1000);
                        }
                    }
                }
            });
        }
        rowsExported.mark(counting[0] % 1000);
        return new Written(counting[0], counting[0] == 0 ? null : counting[1], counting[0] == 0 ? null : counting[2],
                HexFormat.of().formatHex(digest.digest()));
    }
}
