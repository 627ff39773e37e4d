package org.auditlog.common;

import java.util.Optional;
import java.util.UUID;
import org.slf4j.MDC;

/**
 * The id of the request a piece of work is done for, in the logging context ({@value #MDC_KEY}) of
 * the thread doing it: set for each HTTP request from its {@code X-Request-Id}, carried by the jobs
 * a request starts and by the alert notifications its evaluation enqueues, and sent on as
 * {@code X-Request-Id} by webhooks and e-mails. A scheduled run started by no request has an id of
 * its own, so its log lines and what it sends can be told apart from another run's.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";

    private RequestIds() {
    }

    /** The id of the work this thread does now, if any. */
    public static Optional<String> current() {
        return Optional.ofNullable(MDC.get(MDC_KEY));
    }

    /** A new id, for a run started by no request. */
    public static String fresh() {
        return UUID.randomUUID().toString();
    }

    /**
     * Makes {@code id} this thread's until the answer is closed, which puts back what was there
     * before (nothing when {@code id} is null).
     */
    public static Scope within(String id) {
        String before = MDC.get(MDC_KEY);
        if (id == null) {
            return () -> { };
        }
        MDC.put(MDC_KEY, id);
        return () -> {
            if (before == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, before);
            }
        };
    }

    /** What {@link #within} answers: closing it never fails. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
