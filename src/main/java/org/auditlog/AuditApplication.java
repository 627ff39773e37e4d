package org.auditlog;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.migrations.MigrationsBundle;
import java.nio.file.Path;
import java.time.Duration;
import org.auditlog.admin.AdminPortFeature;
import org.auditlog.admin.TenantMetricsFeature;
import org.auditlog.alerting.AlertingFeature;
import org.auditlog.auth.AuthFeature;
import org.auditlog.cli.CreateKeyCommand;
import org.auditlog.cli.SeedDemoCommand;
import org.auditlog.cli.VerifyCommand;
import org.auditlog.cli.VerifyExportCommand;
import org.auditlog.common.Timestamps;
import org.auditlog.console.ConsoleFeature;
import org.auditlog.console.ConsoleServices;
import org.auditlog.database.Database;
import org.auditlog.export.ExportsFeature;
import org.auditlog.ingest.IngestFeature;
import org.auditlog.integrity.IntegrityFeature;
import org.auditlog.openapi.OpenApiFeature;
import org.auditlog.query.QueryFeature;
import org.auditlog.report.ReportsFeature;
import org.auditlog.retention.RetentionFeature;
import org.auditlog.scheduling.SchedulingFeature;
import org.auditlog.stream.StreamsFeature;
import org.auditlog.trail.Platform;
import org.auditlog.web.WebFeature;

public class AuditApplication extends Application<AuditConfiguration> {
    public static void main(String[] args) throws Exception {
        new AuditApplication().run(args);
    }

    @Override
    public String getName() {
        return "audit-service";
    }

    @Override
    public void initialize(Bootstrap<AuditConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        bootstrap.addBundle(new MigrationsBundle<AuditConfiguration>() {
            @Override
            public DataSourceFactory getDataSourceFactory(AuditConfiguration configuration) {
                Database.resolve(configuration.getDatabase(), Path.of(configuration.getDataDir()));
                return configuration.getDatabase();
            }

            @Override
            public String getMigrationsFileName() {
                return Database.MIGRATIONS;
            }
        });
        ConsoleFeature.initialize(bootstrap);
        bootstrap.addCommand(new CreateKeyCommand());
        bootstrap.addCommand(new VerifyCommand());
        bootstrap.addCommand(new VerifyExportCommand());
        bootstrap.addCommand(new SeedDemoCommand());
    }

    /**
     * The database and the HTTP edge, ingest (which gives the audit trail), the scheduler; then each
     * feature registers itself with the platform they make up; the scheduler starts last.
     */
    @Override
    public void run(AuditConfiguration configuration, Environment environment) throws Exception {
        var dataDir = Path.of(configuration.getDataDir());
        var database = Database.register(environment, configuration.getDatabase(), configuration.getStorage(),
                dataDir);
        var bodies = WebFeature.register(environment);
        var traffic = TenantMetricsFeature.register(environment, configuration.getMetricsFactory().getTenantLabels());
        AdminPortFeature.register(environment, configuration.getAdminPort(), traffic);
        var trail = IngestFeature.register(environment, configuration.getIngest(), database.jdbi(),
                database.partitions(), bodies);
        var scheduler = SchedulingFeature.register(environment, configuration.getScheduling(), database.dataSource());
        // clustered: one instance a time keeps the partitions ahead
        scheduler.every("partitions", firing -> database.partitions().createAhead(Timestamps.now()), Duration.ofHours(1));
        var platform = new Platform(database.reads(), scheduler, trail, bodies, dataDir, configuration.getLimits(),
                configuration.getOutbound());

        var integrity = IntegrityFeature.register(environment, configuration.getIntegrity(), platform);
        var keys = AuthFeature.register(environment, configuration.getAuth(), configuration.getRateLimit(), platform,
                database.dataSource());
        var queries = QueryFeature.register(environment, configuration.getQuery(), platform);
        var exports = ExportsFeature.register(environment, configuration.getExports(), platform, integrity.keys());
        var retention = RetentionFeature.register(environment, configuration.getRetention(), platform, integrity.keys(),
                database.partitions());
        var alerting = AlertingFeature.register(environment, configuration.getAlerts(), platform,
                configuration.getDatabase().getMaxSize());
        ReportsFeature.register(environment, configuration.getReports(), platform, integrity,
                configuration.getAlerts().getSmtp());
        StreamsFeature.register(environment, configuration.getStreams(), platform, alerting.operational());
        ConsoleFeature.register(environment, configuration.getConsole(), platform,
                configuration.getQuery().isRecordQueries(),
                new ConsoleServices(queries, exports, integrity.service(), retention, alerting, keys));
        OpenApiFeature.register(environment);

        // Last: the scheduler starts once every feature has registered its tasks and every other part has
        // started, and it stops first, so running jobs finish while the clients and pools they use are open.
        environment.lifecycle().manage(scheduler);
    }
}
