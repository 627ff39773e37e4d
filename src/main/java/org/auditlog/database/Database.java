package org.auditlog.database;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.migrations.CloseableLiquibaseWithClassPathMigrationsFile;
import com.codahale.metrics.MetricRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.extension.ExtensionMethod;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.core.statement.DefinedAttributeTemplateEngine;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** Where the service's data lives: which PostgreSQL, its schema (Liquibase) and the JDBI handle on it. */
public final class Database {
    public static final String MIGRATIONS = "migrations/migrations.xml";

    private Database() {
    }

    /**
     * Points the configuration at the embedded server when no URL is configured, starting (or
     * joining) it, and connects as its superuser with the password kept under the data directory.
     * Idempotent: a configuration that already has a URL is left alone.
     */
    public static Optional<EmbeddedDatabase> resolve(DatabaseConfiguration database, Path dataDir) {
        if (!database.usesEmbeddedServer()) {
            return Optional.empty();
        }
        EmbeddedDatabase embedded = EmbeddedDatabase.startOrJoin(dataDir,
                database.getEmbeddedPort());
        database.setUrl(embedded.jdbcUrl());
        if (database.getUser() == null || database.getUser().isBlank()) {
            database.setUser(EmbeddedDatabase.SUPERUSER);
        }
        if (EmbeddedDatabase.SUPERUSER.equals(database.getUser())) {
            database.setPassword(embedded.password());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "embedded-postgres-stop"));
        return Optional.of(embedded);
    }

    /**
     * Applies pending migrations on a short-lived pool of its own, as {@code database.user}, then
     * makes the runtime login, when there is one, a member of the role the service acts as.
     */
    public static void migrate(DatabaseConfiguration database) throws Exception {
        ManagedDataSource dataSource = database.build(new MetricRegistry(), "migrations");
        try (var liquibase = new CloseableLiquibaseWithClassPathMigrationsFile(dataSource, MIGRATIONS)) {
            liquibase.update("");
            Optional<String> runtimeUser = database.getRuntimeUser();
            if (runtimeUser.isPresent()) {
                try (Connection connection = dataSource.getConnection()) {
                    RuntimeRole.admit(connection, runtimeUser.get());
                }
            }
        }
    }

    /**
     * The service's one pool on the primary, shared by JDBI and the scheduler, acting as the runtime
     * role, and where client reads go (the read replica, when one is configured and keeps up).
     */
    public record Wiring(ManagedDataSource dataSource, ReadDatabase reads, Partitions partitions) {
        public Jdbi jdbi() {
            return reads.primary();
        }
    }

    /** The service's pool and JDBI, managed by the environment, with the {@code database} health check. */
    public static Wiring register(Environment environment, DatabaseConfiguration database, StorageConfiguration storage,
                                  Path dataDir) throws Exception {
        DriverLogGuard.install();
        Optional<EmbeddedDatabase> embedded = resolve(database, dataDir);
        embedded.ifPresent(server -> environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                server.close();
            }
        }));
        if (database.isMigrateOnStart()) {
            migrate(database);
        }
        ManagedDataSource dataSource = direct(RuntimeRole.pool(database, environment.metrics(), "database"));
        Jdbi jdbi = new JdbiFactory().build(environment, database, dataSource, "database");
        // in place of the factory's name-prepending engine, which JDBI cannot cache (see NamedStatements)
        jdbi.setTemplateEngine(new NamedStatements(new DefinedAttributeTemplateEngine()));
        configure(jdbi);
        Optional<Jdbi> replica = database.getReadReplica().map(settings -> replica(environment, database, settings));
        ReadDatabase reads = new ReadDatabase(jdbi, replica, database.getMaxReplicaLag(), environment.metrics());
        environment.lifecycle().manage(reads);
        environment.healthChecks().register("replica", reads.healthCheck());
        environment.healthChecks().register("migrations", new MigrationsCheck(jdbi, MigrationsCheck.of(MIGRATIONS)));
        // the partitions ingest writes to now and next, before the first request
        Partitions partitions = new Partitions(jdbi, storage, database);
        partitions.createAhead(org.auditlog.common.Timestamps.now());
        return new Wiring(dataSource, reads, partitions);
    }

    /**
     * The read replica's pool, read-only and acting as the runtime role as the primary's does. It
     * opens no connection at start (the replica may be away: reads then go to the primary), checks
     * each connection it lends (the replica may have restarted), and gives up connecting after a few
     * seconds. It has no health check of its own: the {@code replica} check says what it means.
     */
    private static Jdbi replica(Environment environment, DatabaseConfiguration primary, ReplicaConfiguration settings) {
        DatabaseConfiguration database = new DatabaseConfiguration();
        database.setUrl(settings.getUrl());
        database.setUser(settings.getUser());
        database.setPassword(settings.getPassword());
        database.setReadOnlyByDefault(true);
        database.setInitialSize(0);
        database.setMinSize(0);
        database.setMaxSize(primary.getMaxSize());
        database.setCheckConnectionOnBorrow(true);
        database.setMaxWaitForConnection(io.dropwizard.util.Duration.seconds(5));
        database.setInitializationQuery(primary.getInitializationQuery());
        java.util.Map<String, String> properties = new java.util.LinkedHashMap<>(primary.getProperties());
        properties.putIfAbsent("connectTimeout", "3");
        database.setProperties(properties);
        ManagedDataSource dataSource = direct(RuntimeRole.pool(database, environment.metrics(), "database-replica"));
        environment.lifecycle().manage(dataSource);
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.setTemplateEngine(new NamedStatements(new DefinedAttributeTemplateEngine()));
        return configure(jdbi);
    }

    /**
     * Statements and result sets straight from the driver: the pool's statement facade would answer
     * every {@code getString} of every row through reflection, which an export of a million rows feels.
     */
    private static ManagedDataSource direct(ManagedDataSource dataSource) {
        if (dataSource instanceof org.apache.tomcat.jdbc.pool.DataSourceProxy pool) {
            pool.getPoolProperties().setUseStatementFacade(false);
        }
        return dataSource;
    }

    public static Jdbi configure(Jdbi jdbi) {
        jdbi.installPlugin(new SqlObjectPlugin());
        jdbi.installPlugin(new PostgresPlugin());
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(Database::withoutArguments);
        return jdbi;
    }

    /**
     * A failed statement's message: the driver's, and which SQL object method ran it. JDBI's own
     * renderings add the bound arguments (secrets among them), which would reach every log that
     * records the exception; its SQL is left out too, as a defined fragment could hold a value.
     */
    static String withoutArguments(StatementException exception) {
        StatementContext context = exception.getStatementContext();
        ExtensionMethod method = context == null ? null : context.getExtensionMethod();
        return method == null ? exception.getShortMessage()
                : exception.getShortMessage() + " [statement " + NamedStatements.name(method) + "]";
    }

    /**
     * Works out the SQL objects' metadata once, in the root configuration. JDBI 3.51 gives each
     * handle a copy of the root's metadata cache and keeps what {@code handle.attach} works out in
     * that copy only (jdbi/jdbi#2991, fixed in later releases), so without this every attach, on
     * every request, redid it by reflection. {@code withExtension} outside a handle fills the root's.
     */
    public static void prepare(Jdbi jdbi, Class<?>... sqlObjects) {
        for (Class<?> type : sqlObjects) {
            jdbi.withExtension(type, extension -> null);
        }
    }

    /** A JDBI of its own for commands that run without the server. */
    public static Jdbi standalone(DatabaseConfiguration database) {
        DriverLogGuard.install();
        ManagedDataSource dataSource = direct(RuntimeRole.pool(database, new MetricRegistry(), "command"));
        return configure(Jdbi.create(dataSource));
    }
}
