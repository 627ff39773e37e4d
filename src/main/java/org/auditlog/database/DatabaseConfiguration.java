package org.auditlog.database;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.util.LinkedHashMap;
import java.util.Map;

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

    /**
     * Every pool, whatever {@code properties} says, has the driver leave the server's detail out of
     * its exceptions: a detail such as {@code Key (value)=(...) already exists}, or a failed batch's
     * statement spelled out with its values, would carry bound values (secrets among them) into
     * any log that records the exception.
     */
    @Override
    public ManagedDataSource build(MetricRegistry metricRegistry, String name) {
        Map<String, String> properties = new LinkedHashMap<>(getProperties());
        properties.put("logServerErrorDetail", "false");
        setProperties(properties);
        return super.build(metricRegistry, name);
    }

    public boolean usesEmbeddedServer() {
        return getUrl() == null || getUrl().isBlank() || EMBEDDED.equals(getUrl());
    }
}
