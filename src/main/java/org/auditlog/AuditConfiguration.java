package org.auditlog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import org.auditlog.admin.MetricsConfiguration;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.auditlog.database.DatabaseConfiguration;
import org.auditlog.admin.AdminConfiguration;
import org.auditlog.alerting.AlertsConfiguration;
import org.auditlog.auth.AuthConfiguration;
import org.auditlog.console.ConsoleConfiguration;
import org.auditlog.common.LimitsConfiguration;
import org.auditlog.outbound.OutboundConfiguration;
import org.auditlog.auth.RateLimitConfiguration;
import org.auditlog.export.ExportsConfiguration;
import org.auditlog.ingest.IngestConfiguration;
import org.auditlog.query.QueryConfiguration;
import org.auditlog.report.ReportsConfiguration;
import org.auditlog.stream.StreamsConfiguration;
import org.auditlog.retention.RetentionConfiguration;
import org.auditlog.database.StorageConfiguration;
import org.auditlog.integrity.IntegrityConfiguration;
import org.auditlog.scheduling.SchedulingConfiguration;

public class AuditConfiguration extends Configuration {
    @Valid
    @NotNull
    @JsonProperty
    private DatabaseConfiguration database = new DatabaseConfiguration();

    @Valid
    @NotNull
    @JsonProperty
    private IngestConfiguration ingest = new IngestConfiguration();

    @Valid
    @NotNull
    @JsonProperty
    private IntegrityConfiguration integrity = new IntegrityConfiguration();

    @Valid
    @NotNull
    @JsonProperty
    private SchedulingConfiguration scheduling = new SchedulingConfiguration();

    @Valid
    @NotNull
    @JsonProperty
    private QueryConfiguration query = new QueryConfiguration();

    @Valid
    @NotNull
    @JsonProperty
    private ExportsConfiguration exports = new ExportsConfiguration();

    @Valid
    @NotNull
    @JsonProperty
    private RetentionConfiguration retention = new RetentionConfiguration();

    @Valid
    @NotNull
    @JsonProperty
    private StorageConfiguration storage = new StorageConfiguration();

    @Valid
    @NotNull
    @JsonProperty
    private AlertsConfiguration alerts = new AlertsConfiguration();

    @Valid
    @NotNull
    @JsonProperty
    private RateLimitConfiguration rateLimit = new RateLimitConfiguration();

    @Valid
    @NotNull
    @JsonProperty
    private AdminConfiguration adminPort = new AdminConfiguration();

    @Valid
    @NotNull
    @JsonProperty
    private AuthConfiguration auth = new AuthConfiguration();

    @Valid
    @NotNull
    @JsonProperty
    private ConsoleConfiguration console = new ConsoleConfiguration();

    @Valid
    @NotNull
    @JsonProperty
    private ReportsConfiguration reports = new ReportsConfiguration();

    @Valid
    @NotNull
    @JsonProperty
    private StreamsConfiguration streams = new StreamsConfiguration();

    @Valid
    @NotNull
    @JsonProperty
    private OutboundConfiguration outbound = new OutboundConfiguration();

    @Valid
    @NotNull
    @JsonProperty
    private LimitsConfiguration limits = new LimitsConfiguration();

    /** Where the embedded database, export files and signing keys live. */
    @NotEmpty
    @JsonProperty
    private String dataDir = "./data";

    {
        setMetricsFactory(new MetricsConfiguration());
    }

    /** Dropwizard's metrics settings with the service's own ({@code metrics.tenantLabels}). */
    @Override
    @JsonProperty("metrics")
    public MetricsConfiguration getMetricsFactory() {
        return (MetricsConfiguration) super.getMetricsFactory();
    }

    @Override
    @JsonProperty("metrics")
    @JsonDeserialize(as = MetricsConfiguration.class)
    public void setMetricsFactory(io.dropwizard.metrics.common.MetricsFactory factory) {
        super.setMetricsFactory(factory);
    }

    public DatabaseConfiguration getDatabase() {
        return database;
    }

    public IngestConfiguration getIngest() {
        return ingest;
    }

    public IntegrityConfiguration getIntegrity() {
        return integrity;
    }

    public SchedulingConfiguration getScheduling() {
        return scheduling;
    }

    public QueryConfiguration getQuery() {
        return query;
    }

    public ExportsConfiguration getExports() {
        return exports;
    }

    public RetentionConfiguration getRetention() {
        return retention;
    }

    public StorageConfiguration getStorage() {
        return storage;
    }

    public AlertsConfiguration getAlerts() {
        return alerts;
    }

    public RateLimitConfiguration getRateLimit() {
        return rateLimit;
    }

    /** Not {@code admin}: that key is Dropwizard's own (tasks and health checks). */
    public AdminConfiguration getAdminPort() {
        return adminPort;
    }

    public ReportsConfiguration getReports() {
        return reports;
    }

    public ConsoleConfiguration getConsole() {
        return console;
    }

    public AuthConfiguration getAuth() {
        return auth;
    }

    public StreamsConfiguration getStreams() {
        return streams;
    }

    public OutboundConfiguration getOutbound() {
        return outbound;
    }

    public LimitsConfiguration getLimits() {
        return limits;
    }

    public String getDataDir() {
        return dataDir;
    }
}
