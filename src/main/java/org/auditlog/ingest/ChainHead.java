package org.auditlog.ingest;

import static java.util.Objects.requireNonNull;

/** The last link of a tenant's chain. */
public record ChainHead(long lastSeq, byte[] lastHash) {
    public ChainHead {
        requireNonNull(lastHash, "lastHash is null");
    }
}
