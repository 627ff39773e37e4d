package org.auditlog.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.auditlog.support.TestApp;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Bound values (API keys, webhook secrets, anything a client sent) never reach the log, at any level:
 * not from the driver's protocol trace, not from JDBI, and not from the message of a failed
 * statement, whoever logs it. Every logger that could is turned to TRACE here, and everything
 * logged, stack traces included, is captured.
 */
class BoundValuesStayOutOfLogsTest {
    private static final TestApp APP = TestApp.get();
    private static final String[] CHATTY = {"org.postgresql", "org.jdbi", "org.auditlog", "io.dropwizard.jdbi3"};

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final Map<String, Level> levels = new LinkedHashMap<>();
    /** The service's own JDBI setup on the service's own pool settings. */
    private static final Jdbi JDBI = Database.standalone(APP.support().getConfiguration().getDatabase());
    private OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender;

    @BeforeEach
    void captureEverything() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        var encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %logger %msg%n%ex{full}");
        encoder.start();
        appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(captured);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        for (String name : CHATTY) {
            Logger logger = context.getLogger(name);
            levels.put(name, logger.getLevel());
            logger.setLevel(Level.TRACE);
        }
    }

    @AfterEach
    void restore() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        levels.forEach((name, level) -> context.getLogger(name).setLevel(level));
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
    }

    @Test
    void aFailedStatementLogsNeitherItsArgumentsNorTheServersDetail() {
        String secret = secret();
        Throwable failure = catchThrowable(() -> JDBI.useHandle(handle -> {
            handle.execute("create temporary table secrets (value text unique)");
            handle.createUpdate("insert into secrets (value) values (:value)").bind("value", secret).execute();
            handle.createUpdate("insert into secrets (value) values (:value)").bind("value", secret).execute();
        }));
        assertThat(failure).as("the second insert breaks the unique key").isNotNull();
        LoggerFactory.getLogger(BoundValuesStayOutOfLogsTest.class).error("request failed", failure);

        assertThat(log()).contains("request failed", "duplicate key").doesNotContain(secret);
    }

    @Test
    void aFailedBatchDoesNotSpellOutItsStatement() {
        String secret = secret();
        Throwable failure = catchThrowable(() -> JDBI.useHandle(handle -> {
            handle.execute("create temporary table batch_secrets (value text unique)");
            var batch = handle.prepareBatch("insert into batch_secrets (value) values (:value)");
            batch.bind("value", secret).add();
            batch.bind("value", secret).add();
            batch.execute();
        }));
        assertThat(failure).isNotNull();
        LoggerFactory.getLogger(BoundValuesStayOutOfLogsTest.class).error("append failed", failure);

        assertThat(log()).contains("append failed").doesNotContain(secret);
    }

    @Test
    void theDriversProtocolTraceNeverShowsBoundValuesOfTheRunningService() {
        String secret = secret();
        var key = APP.createKey(TestApp.newTenant("quiet-logs"), "auditor");
        var reply = APP.get("/api/v1/events?actorId=" + URLEncoder.encode(secret, StandardCharsets.UTF_8), key);
        assertThat(reply.status()).isEqualTo(200);
        JDBI.useHandle(handle -> handle.createQuery("select :value").bind("value", secret).mapTo(String.class).one());

        assertThat(log()).doesNotContain(secret);
    }

    private static String secret() {
        return "sk_live_" + UUID.randomUUID().toString().replace("-", "");
    }

    private String log() {
        return captured.toString(StandardCharsets.UTF_8);
    }
}
