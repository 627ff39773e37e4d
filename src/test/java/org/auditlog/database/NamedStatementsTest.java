package org.auditlog.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.jdbi3.NamePrependingTemplateEngine;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.auditlog.support.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.statement.DefinedAttributeTemplateEngine;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.junit.jupiter.api.Test;

/** Statements keep the name Dropwizard's engine gives them, and each template is parsed once. */
class NamedStatementsTest {
    interface Probe {
        /** What the server was sent, comment and all. */
        @SqlQuery("select current_query() where <condition>")
        String sent(@Define("condition") String condition);
    }

    /** The default engine, counting the templates it parses. */
    static final class Counting extends DefinedAttributeTemplateEngine {
        final AtomicInteger parsed = new AtomicInteger();

        @Override
        public Optional<Function<StatementContext, String>> parse(String template, ConfigRegistry config) {
            parsed.incrementAndGet();
            return super.parse(template, config);
        }
    }

    private static Jdbi jdbi(TemplateEngine engine) {
        Jdbi jdbi = Jdbi.create(() -> TestDatabase.get().connect());
        jdbi.installPlugin(new SqlObjectPlugin());
        jdbi.setTemplateEngine(engine);
        return jdbi;
    }

    @Test
    void namesEachStatementAsDropwizardDoes() {
        String ours = jdbi(new NamedStatements(new DefinedAttributeTemplateEngine()))
                .withExtension(Probe.class, probe -> probe.sent("1 = 1"));
        String dropwizards = jdbi(new NamePrependingTemplateEngine(new DefinedAttributeTemplateEngine()))
                .withExtension(Probe.class, probe -> probe.sent("1 = 1"));
        assertThat(ours).isEqualTo("/* Probe.sent */ select current_query() where 1 = 1").isEqualTo(dropwizards);
    }

    @Test
    void parsesEachTemplateOnce() {
        Counting counting = new Counting();
        Jdbi jdbi = jdbi(new NamedStatements(counting));
        for (String condition : new String[] {"1 = 1", "2 = 2", "3 = 3"}) {
            String sent = jdbi.withExtension(Probe.class, probe -> probe.sent(condition));
            assertThat(sent).endsWith("where " + condition);
        }
        assertThat(counting.parsed).hasValue(1);
    }

    @Test
    void dropwizardsEngineParsesOnEveryExecution() {
        Counting counting = new Counting();
        Jdbi jdbi = jdbi(new NamePrependingTemplateEngine(counting));
        for (int i = 0; i < 3; i++) {
            jdbi.withExtension(Probe.class, probe -> probe.sent("true"));
        }
        assertThat(counting.parsed).hasValue(3);
    }

    @Test
    void leavesStatementsOutsideSqlObjectsUnnamed() {
        String sent = jdbi(new NamedStatements(new DefinedAttributeTemplateEngine())).withHandle(handle -> handle
                .createQuery("select current_query() where <condition>").define("condition", "true")
                .mapTo(String.class).one());
        assertThat(sent).isEqualTo("select current_query() where true");
    }
}
