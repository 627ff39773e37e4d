package org.auditlog.database;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.db.DataSourceFactory;

/**
 * Dropwizard's pool settings plus what the service adds: whether pending migrations are applied at
 * start, and the port of the embedded PostgreSQL used when no {@code url} is configured.
 */
public class DatabaseConfiguration extends DataSourceFactory {
    /** The {@code url} that asks for the embedded PostgreSQL under {@code dataDir}. */
    public static final String EMBEDDED = "embedded";

    @JsonProperty
    private boolean migrateOnStart = true;

    /** 0 picks a free port. */
    @JsonProperty
    private int embeddedPort = 0;

    public DatabaseConfiguration() {
        setDriverClass("org.postgresql.Driver");
        setUrl(EMBEDDED);
    }

    public boolean isMigrateOnStart() {
        return migrateOnStart;
    }

    public int getEmbeddedPort() {
        return embeddedPort;
    }

    public boolean usesEmbeddedServer() {
        return getUrl() == null || getUrl().isBlank() || EMBEDDED.equals(getUrl());
    }
}
