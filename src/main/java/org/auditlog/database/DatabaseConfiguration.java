package org.auditlog.database;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Dropwizard's pool settings plus what the service adds: whether pending migrations are applied at
 * start, the port of the embedded PostgreSQL used when no {@code url} is configured, and the login of
 * the running service when it is not {@code user} (see {@link RuntimeRole}).
 */
public class DatabaseConfiguration extends DataSourceFactory {
    /** The {@code url} that asks for the embedded PostgreSQL under {@code dataDir}. */
    public static final String EMBEDDED = "embedded";

    @JsonProperty
    private boolean migrateOnStart = true;

    /** 0 picks a free port. */
    @JsonProperty
    private int embeddedPort = 0;

    /**
     * The login the running service's pool uses ({@code AUDIT_DB_RUNTIME_USER}); empty: {@code user},
     * which then acts as the runtime role through {@code SET ROLE}. Migrations always run as {@code user}.
     * Null or blank (config.yml's {@code ${AUDIT_DB_RUNTIME_USER:-}} unset) means unset.
     */
    @JsonProperty
    private String runtimeUser = "";

    @JsonProperty
    private String runtimePassword = "";

    /** A streaming replica that serves reads while it keeps up; absent: every read on the primary. */
    @JsonProperty
    @jakarta.validation.Valid
    private ReplicaConfiguration readReplica;

    /** How far the replica may be behind the primary and still serve reads. */
    @JsonProperty
    @jakarta.validation.constraints.NotNull
    private io.dropwizard.util.Duration maxReplicaLag = io.dropwizard.util.Duration.seconds(5);

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

    /** The running service's own login, when it has one apart from {@code user}. */
    public Optional<String> getRuntimeUser() {
        return runtimeUser == null || runtimeUser.isBlank() ? Optional.empty() : Optional.of(runtimeUser);
    }

    public String getRuntimePassword() {
        return runtimePassword == null ? "" : runtimePassword;
    }

    public Optional<ReplicaConfiguration> getReadReplica() {
        return Optional.ofNullable(readReplica);
    }

    public void setReadReplica(ReplicaConfiguration readReplica) {
        this.readReplica = readReplica;
    }

    public java.time.Duration getMaxReplicaLag() {
        return maxReplicaLag.toJavaDuration();
    }

    public void setRuntimeUser(String runtimeUser) {
        this.runtimeUser = runtimeUser;
    }

    public void setRuntimePassword(String runtimePassword) {
        this.runtimePassword = runtimePassword;
    }

    /** The driver's properties of every connection, with {@code user} and {@code password} as given. */
    Properties connectionProperties(String user, String password) {
        Properties properties = new Properties();
        properties.putAll(withoutServerErrorDetail());
        properties.setProperty("user", user);
        properties.setProperty("password", password == null ? "" : password);
        return properties;
    }

    private Map<String, String> withoutServerErrorDetail() {
        Map<String, String> properties = new LinkedHashMap<>(getProperties());
        properties.put("logServerErrorDetail", "false");
        return properties;
    }

    /**
     * Every pool, whatever {@code properties} says, has the driver leave the server's detail out of
     * its exceptions: a detail such as {@code Key (value)=(...) already exists}, or a failed batch's
     * statement spelled out with its values, would carry bound values (secrets among them) into
     * any log that records the exception.
     */
    @Override
    public ManagedDataSource build(MetricRegistry metricRegistry, String name) {
        setProperties(withoutServerErrorDetail());
        return super.build(metricRegistry, name);
    }

    public boolean usesEmbeddedServer() {
        return getUrl() == null || getUrl().isBlank() || EMBEDDED.equals(getUrl());
    }
}
