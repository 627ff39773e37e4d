package org.auditlog.alerting;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.auditlog.common.Timestamps;
import org.auditlog.event.Actor;
import org.auditlog.event.Resource;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.EventGroup;
import org.auditlog.filter.EventWhere;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every enabled rule over its window: a group whose events cross the threshold fires one
 * alert (unless one fired for it within the cooldown), and a firing alert resolves when its group
 * falls back. A unique index keeps one open alert per rule and group, so two evaluations (two
 * instances, or the task beside the job) never fire the same alert twice.
 */
public final class AlertEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);
    private static final Actor ALERTING = new Actor("alerting", "system", "alert evaluation", null);

    private final Jdbi jdbi;
    private final Deliveries deliveries;
    private final AuditTrail trail;
    private final ObjectMapper mapper;
    private final Counter fired;
    private final Counter resolved;

    public AlertEvaluator(Jdbi jdbi, Deliveries deliveries, AuditTrail trail, ObjectMapper mapper, MetricRegistry metrics) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.deliveries = requireNonNull(deliveries, "deliveries is null");
        this.trail = requireNonNull(trail, "trail is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.fired = metrics.counter("alerts.fired");
        this.resolved = metrics.counter("alerts.resolved");
    }

    /** What one evaluation did. */
    public record Outcome(int rules, int fired, int resolved) {
    }

    public Outcome evaluateAll() {
        Instant now = Timestamps.now();
        int firedNow = 0;
        int resolvedNow = 0;
        List<RuleDao.StoredRule> rules = jdbi.withExtension(RuleDao.class, RuleDao::enabled);
        for (RuleDao.StoredRule stored : rules) {
            try {
                int[] counts = evaluate(stored, RuleParser.stored(stored.definition()), now);
                firedNow += counts[0];
                resolvedNow += counts[1];
            } catch (RuntimeException e) {
                LOG.error("alert rule {} of tenant {} could not be evaluated", stored.id(), stored.tenant(), e);
            }
        }
        for (RuleDao.StoredRule stopped : jdbi.withExtension(RuleDao.class, RuleDao::stoppedWithOpenAlerts)) {
            for (Alert open : jdbi.withExtension(AlertDao.class, dao -> dao.firing(stopped.id()))) {
                resolvedNow += resolve(open, readQuietly(stopped), now);
            }
        }
        deliveries.deliverDue();
        return new Outcome(rules.size(), firedNow, resolvedNow);
    }

    private int[] evaluate(RuleDao.StoredRule stored, AlertRule rule, Instant now) {
        Map<String, AlertDao.GroupCount> counts = new HashMap<>();
        countsOf(stored.tenant(), rule, now).forEach(c -> counts.put(c.key(), c));
        Map<String, Alert> firing = new HashMap<>();
        jdbi.withExtension(AlertDao.class, dao -> dao.firing(stored.id())).forEach(a -> firing.put(a.groupKey(), a));
        int firedNow = 0;
        int resolvedNow = 0;
        for (AlertDao.GroupCount count : counts.values()) {
            if (rule.crossedBy(count.matched(), count.total()) && !firing.containsKey(count.key())) {
                Optional<Instant> last = jdbi.withExtension(AlertDao.class, dao -> dao.lastFired(stored.id(), count.key()));
                if (last.isPresent() && last.get().plus(rule.cooldown()).isAfter(now)) {
                    continue;
                }
                firedNow += fire(stored, rule, count, now);
            }
        }
        for (Alert open : firing.values()) {
            AlertDao.GroupCount count = counts.get(open.groupKey());
            if (count == null || !rule.crossedBy(count.matched(), count.total())) {
                resolvedNow += resolve(open, Optional.of(rule), now);
            }
        }
        return new int[] {firedNow, resolvedNow};
    }

    private List<AlertDao.GroupCount> countsOf(String tenant, AlertRule rule, Instant now) {
        EventFilter filter = rule.filter();
        // a ratio is measured against the same events without the outcome filter (failed logins / all logins)
        EventFilter denominator = rule.isRatio() ? filter.withoutOutcome() : filter;
        EventWhere where = EventWhere.of(tenant, denominator).occurredWithin(now.minus(rule.window()), now);
        EventWhere matching = EventWhere.matching(rule.isRatio() ? filter.outcomeOnly() : EventFilter.none(), "matching_");
        Optional<EventGroup> group = rule.groupBy().map(name -> EventGroup.fromWire(name).orElseThrow());
        return jdbi.withExtension(AlertDao.class, dao -> dao.counts(group, matching, where));
    }

    private int fire(RuleDao.StoredRule stored, AlertRule rule, AlertDao.GroupCount count, Instant now) {
        UUID id = UUID.randomUUID();
        double value = rule.value(count.matched(), count.total());
        int inserted = jdbi.withExtension(AlertDao.class, dao -> dao.fire(id, stored.tenant(), stored.id(), rule.name(),
                rule.groupBy().orElse(null), count.key(), rule.severity(), value, count.matched(), count.total(), now));
        if (inserted == 0) {
            return 0;
        }
        fired.inc();
        Alert alert = jdbi.withExtension(AlertDao.class, dao -> dao.find(id));
        trail.record(stored.tenant(), "system", "alert.fired", ALERTING,
                new Resource("alert_rule", stored.id().toString(), rule.name()), summary(alert));
        deliveries.enqueue(stored.tenant(), id, rule.channels(), "fired", payload(alert, rule));
        return 1;
    }

    private int resolve(Alert open, Optional<AlertRule> rule, Instant now) {
        if (jdbi.withExtension(AlertDao.class, dao -> dao.resolve(open.id(), now)) == 0) {
            return 0;
        }
        resolved.inc();
        Alert alert = jdbi.withExtension(AlertDao.class, dao -> dao.find(open.id()));
        trail.record(alert.tenant(), "system", "alert.resolved", ALERTING,
                new Resource("alert_rule", alert.ruleId().toString(), alert.ruleName()), summary(alert));
        rule.ifPresent(r -> deliveries.enqueue(alert.tenant(), alert.id(), r.channels(), "resolved", payload(alert, r)));
        return 1;
    }

    private Optional<AlertRule> readQuietly(RuleDao.StoredRule stored) {
        try {
            return Optional.of(RuleParser.stored(stored.definition()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private ObjectNode summary(Alert alert) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("alertId", alert.id().toString());
        node.put("severity", alert.severity());
        node.put("groupBy", alert.groupBy());
        node.put("group", alert.groupKey());
        node.put("value", alert.value());
        node.put("matched", alert.matched());
        node.put("total", alert.total());
        return node;
    }

    /** The notification as webhooks receive it (and as e-mails show it). */
    private String payload(Alert alert, AlertRule rule) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("alertId", alert.id().toString());
        node.put("state", alert.state());
        node.put("tenant", alert.tenant());
        node.putObject("rule").put("id", alert.ruleId().toString()).put("name", alert.ruleName())
                .put("window", rule.window().toString());
        node.put("severity", alert.severity());
        node.putObject("group").put("by", alert.groupBy()).put("key", alert.groupKey());
        node.put("value", alert.value());
        node.put("matched", alert.matched());
        node.put("total", alert.total());
        node.putObject("threshold").put("type", rule.thresholdType()).put("gt", rule.greaterThan())
                .put("minEvents", rule.minEvents());
        node.put("firedAt", alert.firedAt());
        node.put("resolvedAt", alert.resolvedAt());
        try {
            return mapper.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
