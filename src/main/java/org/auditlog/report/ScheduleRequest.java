package org.auditlog.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import org.auditlog.common.Problem;
import org.auditlog.common.Rejection;
import org.auditlog.common.RequestBodies;
import org.auditlog.filter.EventFilter;
import org.auditlog.outbound.Mailer;
import org.quartz.CronExpression;

/**
 * A report schedule to set: {@code {"cron", "period", "recipients", "title"?, "filters"?}}. The cron is
 * Quartz's (6 or 7 fields, UTC) and may fire at most once an hour: a report covers a whole day, week or
 * month, and more firings would only mail the same report again. That is checked over its next
 * {@value #FIRINGS_CHECKED} firings.
 */
record ScheduleRequest(String cron, ReportPeriod period, List<String> recipients, String title, EventFilter filter) {
    static final int MAX_RECIPIENTS = 20;
    static final Duration SHORTEST_INTERVAL = Duration.ofHours(1);
    static final int FIRINGS_CHECKED = 200;
    private static final int MAX_CRON = 200;
    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    ScheduleRequest {
        requireNonNull(cron, "cron is null");
        requireNonNull(period, "period is null");
        recipients = List.copyOf(recipients);
        requireNonNull(title, "title is null");
        requireNonNull(filter, "filter is null");
    }

    /** From a request body; problems answer 422 naming each field ({@code recipients[1]}, {@code filters.actorId}). */
    static ScheduleRequest parse(JsonNode body) {
        var request = RequestBodies.object(body, List.of("cron", "period", "recipients", "title", "filters"));
        List<Problem> problems = new ArrayList<>();
        String cron = request.string("cron");
        if (cron == null) {
            problems.add(new Problem("cron", "is required"));
        } else {
            cronProblem(cron.strip()).ifPresent(error -> problems.add(new Problem("cron", error)));
        }
        String periodText = request.string("period");
        Optional<ReportPeriod> period = periodText == null ? Optional.empty() : ReportPeriod.fromWire(periodText);
        if (period.isEmpty()) {
            problems.add(new Problem("period", "must be previous-day, previous-week or previous-month"));
        }
        List<String> recipients = request.strings("recipients");
        if (recipients == null || recipients.isEmpty() || recipients.size() > MAX_RECIPIENTS) {
            problems.add(new Problem("recipients", "must list 1 to " + MAX_RECIPIENTS + " e-mail addresses"));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < recipients.size(); i++) {
                if (!Mailer.isAddress(recipients.get(i))) {
                    problems.add(new Problem("recipients[" + i + "]", "must be an e-mail address"));
                } else if (!seen.add(recipients.get(i).toLowerCase(Locale.ROOT))) {
                    problems.add(new Problem("recipients[" + i + "]", "is listed already"));
                }
            }
        }
        String title = ReportRequest.title(body, problems);
        EventFilter filter = ReportRequest.filters(body, problems);
        if (!problems.isEmpty()) {
            throw Rejection.invalid(problems);
        }
        return new ScheduleRequest(cron.strip(), period.orElseThrow(), recipients, title, filter);
    }

    /** What is wrong with {@code cron} as a schedule's, if anything. */
    static Optional<String> cronProblem(String cron) {
        if (cron.length() > MAX_CRON || !CronExpression.isValidExpression(cron)) {
            return Optional.of("must be a Quartz cron expression of 6 or 7 fields, such as 0 0 6 * * ?");
        }
        CronExpression expression = expression(cron);
        Instant previous = next(expression, Instant.now());
        if (previous == null) {
            return Optional.of("never fires");
        }
        for (int i = 0; i < FIRINGS_CHECKED; i++) {
            Instant following = next(expression, previous);
            if (following == null) {
                break;
            }
            if (Duration.between(previous, following).compareTo(SHORTEST_INTERVAL) < 0) {
                return Optional.of("fires more often than once an hour (at " + previous + " and " + following + ")");
            }
            previous = following;
        }
        return Optional.empty();
    }

    /** The first firing of {@code cron} (UTC) after {@code after}; null when it never fires again. */
    static Instant nextFiring(String cron, Instant after) {
        return next(expression(cron), after);
    }

    private static Instant next(CronExpression expression, Instant after) {
        var date = expression.getNextValidTimeAfter(java.util.Date.from(after));
        return date == null ? null : date.toInstant();
    }

    private static CronExpression expression(String cron) {
        try {
            CronExpression expression = new CronExpression(cron);
            expression.setTimeZone(UTC);
            return expression;
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a cron expression: " + cron, e);
        }
    }
}
