package org.auditlog.database;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.health.HealthCheck;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.exception.LiquibaseException;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.ResourceAccessor;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;

/**
 * The {@code migrations} health check: the changesets this jar brings beside those the database
 * records as applied. Unhealthy when one of the jar's is missing: the database is behind the jar (not
 * migrated yet, or a changeset failed, which Liquibase does not record). Healthy, with a message, when
 * the database holds changesets the jar does not know: a newer release migrated it during a rolling
 * upgrade, and this instance runs on the part of the schema it knows.
 */
public final class MigrationsCheck extends HealthCheck {
    /** A changeset as Liquibase names it: file, id and author. */
    public record Changeset(String file, String id, String author) {
        @Override
        public String toString() {
            return file + "::" + id + "::" + author;
        }
    }

    private static final String UNDEFINED_FUNCTION = "42883";

    private final Jdbi jdbi;
    private final List<Changeset> expected;

    public MigrationsCheck(Jdbi jdbi, List<Changeset> expected) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.expected = List.copyOf(expected);
    }

    /** The changesets of a changelog on the class path, in the order they run. */
    public static List<Changeset> of(String changelog) {
        ResourceAccessor resources = new ClassLoaderResourceAccessor(MigrationsCheck.class.getClassLoader());
        try {
            DatabaseChangeLog log = ChangeLogParserFactory.getInstance().getParser(changelog, resources)
                    .parse(changelog, new ChangeLogParameters(), resources);
            List<Changeset> changesets = new ArrayList<>();
            for (ChangeSet changeSet : log.getChangeSets()) {
                changesets.add(new Changeset(changeSet.getFilePath(), changeSet.getId(), changeSet.getAuthor()));
            }
            return changesets;
        } catch (LiquibaseException e) {
            throw new IllegalStateException("the jar's changelog " + changelog + " does not parse", e);
        }
    }

    @Override
    protected Result check() {
        Set<Changeset> applied;
        try {
            applied = new LinkedHashSet<>(jdbi.withHandle(handle -> handle
                    .select("select filename, id, author from audit_applied_changesets()")
                    .map((rs, ctx) -> new Changeset(rs.getString(1), rs.getString(2), rs.getString(3))).list()));
        } catch (StatementException e) {
            if (e.getCause() instanceof SQLException sql && UNDEFINED_FUNCTION.equals(sql.getSQLState())) {
                return Result.unhealthy("the database is behind this release: it was migrated by a release before "
                        + "migrations/022-applied-changesets.xml, which lets the service read what is applied; run `db migrate`");
            }
            throw e;
        }
        List<Changeset> missing = expected.stream().filter(c -> !applied.contains(c)).toList();
        if (!missing.isEmpty()) {
            return Result.unhealthy("the database is behind this release: " + missing.size() + " of its " + expected.size()
                    + " changesets are not applied, the first " + missing.get(0) + " (not migrated yet, or the migration "
                    + "failed: run `db migrate` and read its output)");
        }
        applied.removeAll(expected);
        if (!applied.isEmpty()) {
            return Result.healthy("the database is ahead of this release by " + applied.size() + " changeset(s), the first "
                    + applied.iterator().next() + ": a newer release migrated it; this instance uses the schema it knows");
        }
        return Result.healthy("all " + expected.size() + " changesets of this release are applied");
    }
}
