package org.auditlog.database;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps the PostgreSQL driver's debug and protocol trace out of the log whatever level
 * {@code logging.level}, {@code logging.loggers} or the admin port's {@code log-level} task set: at
 * TRACE the driver writes every Bind message with its values. Its lines below INFO are dropped; the
 * guard puts itself back each time logging is configured again (Dropwizard resets the logging
 * context when it applies the configuration, and so does a command).
 */
final class DriverLogGuard extends TurboFilter implements LoggerContextListener {
    private static final String DRIVER = "org.postgresql";

    private DriverLogGuard() {
        setName("driver-log-guard");
    }

    /** Once per logging context; a no-op when SLF4J is bound to something other than Logback. */
    static synchronized void install() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        if (context.getCopyOfListenerList().stream().anyMatch(DriverLogGuard.class::isInstance)) {
            return;
        }
        DriverLogGuard guard = new DriverLogGuard();
        guard.setContext(context);
        context.addListener(guard);
        guard.watch(context);
    }

    private void watch(LoggerContext context) {
        start();
        context.addTurboFilter(this);
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level != null && !level.isGreaterOrEqual(Level.INFO) && logger.getName().startsWith(DRIVER)) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }

    @Override
    public boolean isResetResistant() {
        return true;
    }

    @Override
    public void onReset(LoggerContext context) {
        watch(context);
    }

    @Override
    public void onStart(LoggerContext context) {
    }

    @Override
    public void onStop(LoggerContext context) {
    }

    @Override
    public void onLevelChange(Logger logger, Level level) {
    }
}
