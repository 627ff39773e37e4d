package org.auditlog.database;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.extension.ExtensionMethod;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.TemplateEngine;

/**
 * Names each SQL object statement in a leading comment (for instance {@code QueryDao.page}), as
 * Dropwizard's {@code NamePrependingTemplateEngine} does, so that {@code pg_stat_activity} and the
 * server's logs tell which statement is which. Unlike that engine, this one is a
 * {@link TemplateEngine.Parsing} engine: JDBI keeps what it parses per template, where Dropwizard's
 * wrapper made JDBI lex every statement's template again on every execution (a tenth of what a
 * page of events allocated).
 */
public final class NamedStatements implements TemplateEngine.Parsing {
    private final TemplateEngine.Parsing engine;

    public NamedStatements(TemplateEngine.Parsing engine) {
        this.engine = requireNonNull(engine, "engine is null");
    }

    @Override
    public Optional<Function<StatementContext, String>> parse(String template, ConfigRegistry config) {
        return engine.parse(template, config).map(render -> ctx -> named(ctx.getExtensionMethod(), render.apply(ctx)));
    }

    static String named(ExtensionMethod method, String sql) {
        if (method == null) {
            return sql;
        }
        return "/* " + name(method) + " */ " + sql;
    }

    /** {@code QueryDao.page}: the SQL object and its method. */
    static String name(ExtensionMethod method) {
        String type = method.getType().getSimpleName();
        return (type.isEmpty() ? "" : type + ".") + method.getMethod().getName();
    }
}
