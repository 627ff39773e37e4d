package org.auditlog.alerting;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import org.auditlog.access.Requester;
import org.auditlog.common.LimitsConfiguration;
import org.auditlog.common.Problem;
import org.auditlog.common.Rejection;
import org.auditlog.common.TimeIdCursor;
import org.auditlog.common.Timestamps;
import org.auditlog.database.ReadTimeout;
import org.auditlog.database.TenantLocks;
import org.auditlog.event.EventIds;
import org.auditlog.event.Resource;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Channels, rules and the alerts they raised, for the tenant's admins. */
public final class AlertingService {
    /** The scope of the tenant lock under which rules and channels are counted and changed. */
    private static final String DEFINITIONS = "alert-definitions";

    private final Jdbi jdbi;
    private final AuditTrail trail;
    private final LimitsConfiguration limits;

    public AlertingService(Jdbi jdbi, AuditTrail trail, LimitsConfiguration limits) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.trail = requireNonNull(trail, "trail is null");
        this.limits = requireNonNull(limits, "limits is null");
    }

    public record Channels(List<Channel> channels) {
    }

    public Channels channels(Requester requester) {
        return new Channels(ReadTimeout.read(jdbi, ChannelDao.class, dao -> dao.list(requester.tenant())));
    }

    public Channel createChannel(Requester requester, ChannelRequest request) {
        UUID id = UUID.randomUUID();
        String type = request.type();
        String[] recipients = request.to().isEmpty() ? null : request.to().toArray(String[]::new);
        jdbi.useTransaction(handle -> {
            belowCap(handle, requester.tenant(), h -> h.attach(ChannelDao.class).count(requester.tenant()),
                    limits.getAlertChannels(), "limits.alertChannels", "channels");
            handle.attach(ChannelDao.class).insert(id, requester.tenant(), type, request.url().orElse(null),
                    request.secret().orElse(null), recipients,
                    Timestamps.now(), requester.reference());
        });
        trail.record(requester.tenant(), "admin", "alert.channel.created", requester.actor(),
                new Resource("alert_channel", id.toString(), type), null);
        return jdbi.withExtension(ChannelDao.class, dao -> dao.find(requester.tenant(), id)).orElseThrow();
    }

    public Channel channel(Requester requester, String id) {
        return EventIds.parse(id).flatMap(uuid -> jdbi.withExtension(ChannelDao.class, dao -> dao.find(requester.tenant(), uuid)))
                .orElseThrow(() -> Rejection.notFound("channel"));
    }

    /** Deletes a channel: its deliveries not yet sent are cancelled, and the rules that named it no longer do. */
    public void deleteChannel(Requester requester, String id) {
        Channel channel = channel(requester, id);
        List<UUID> rules = jdbi.inTransaction(handle -> {
            handle.attach(TenantLocks.class).lock(DEFINITIONS, requester.tenant());
            if (handle.attach(ChannelDao.class).delete(requester.tenant(), channel.id()) == 0) {
                throw Rejection.notFound("channel");
            }
            handle.attach(DeliveryDao.class).cancelForChannel(channel.id(), "the channel was deleted", Timestamps.now());
            return handle.attach(RuleDao.class).dropChannel(requester.tenant(), channel.id().toString(), Timestamps.now());
        });
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        rules.forEach(rule -> details.withArray("rulesUpdated").add(rule.toString()));
        trail.record(requester.tenant(), "admin", "alert.channel.deleted", requester.actor(),
                new Resource("alert_channel", channel.id().toString(), channel.type()), rules.isEmpty() ? null : details);
    }

    /**
     * Refuses a new rule or channel past the tenant's cap. Called inside the inserting transaction:
     * the lock holds off a second request of the same tenant until this one commits.
     */
    private static void belowCap(Handle handle, String tenant, ToIntFunction<Handle> count, int cap, String limit,
                                 String what) {
        handle.attach(TenantLocks.class).lock(DEFINITIONS, tenant);
        if (count.applyAsInt(handle) >= cap) {
            throw Rejection.invalid(List.of(new Problem(limit,
                    "this tenant already keeps " + cap + " " + what + ", the most it may; delete one first")));
        }
    }

    public record Rules(List<RuleView> rules) {
    }

    public Rules rules(Requester requester) {
        return new Rules(ReadTimeout.read(jdbi, RuleDao.class, dao -> dao.list(requester.tenant())).stream()
                .map(RuleView::of).toList());
    }

    public RuleView rule(Requester requester, String id) {
        return RuleView.of(stored(requester, id));
    }

    public RuleView createRule(Requester requester, RuleRequest request) {
        AlertRule rule = withTenantChannels(requester, request);
        UUID id = UUID.randomUUID();
        jdbi.useTransaction(handle -> {
            belowCap(handle, requester.tenant(), h -> h.attach(RuleDao.class).count(requester.tenant()),
                    limits.getAlertRules(), "limits.alertRules", "alert rules");
            handle.attach(RuleDao.class).insert(id, requester.tenant(), RuleParser.write(rule).toString(), rule.enabled(),
                    Timestamps.now());
        });
        trail.record(requester.tenant(), "admin", "alert.rule.created", requester.actor(),
                new Resource("alert_rule", id.toString(), rule.name()), RuleParser.write(rule));
        return rule(requester, id.toString());
    }

    public RuleView updateRule(Requester requester, String id, RuleRequest request) {
        RuleDao.StoredRule existing = stored(requester, id);
        AlertRule rule = withTenantChannels(requester, request);
        jdbi.useExtension(RuleDao.class, dao -> dao.update(requester.tenant(), existing.id(),
                RuleParser.write(rule).toString(), rule.enabled(), Timestamps.now()));
        trail.record(requester.tenant(), "admin", "alert.rule.updated", requester.actor(),
                new Resource("alert_rule", existing.id().toString(), rule.name()), RuleParser.write(rule));
        return rule(requester, id);
    }

    public void deleteRule(Requester requester, String id) {
        RuleDao.StoredRule existing = stored(requester, id);
        jdbi.useExtension(RuleDao.class, dao -> dao.delete(requester.tenant(), existing.id()));
        trail.record(requester.tenant(), "admin", "alert.rule.deleted", requester.actor(),
                new Resource("alert_rule", existing.id().toString(), null), null);
    }

    public record Alerts(List<Alert> alerts) {
    }

    /** The tenant's newest alerts, of one state or, when {@code state} is empty, of both. */
    public Alerts alerts(Requester requester, Optional<AlertState> state) {
        String wireName = state.map(AlertState::wireName).orElse(null);
        return new Alerts(ReadTimeout.read(jdbi, AlertDao.class, dao -> dao.list(requester.tenant(), wireName)));
    }

    /** A page of the delivery log, newest first, and the cursor of the next. */
    public record DeliveryLog(List<DeliveryView> deliveries, String nextCursor) {
    }

    /** What the delivery log is asked for: each filter applies when present. */
    public record DeliveryQuery(Optional<UUID> channelId, Optional<UUID> alertId, Optional<String> status, int limit,
                                Optional<TimeIdCursor> after) {
        public static final int MAX_PAGE = 200;
        public static final Set<String> STATUSES = Set.of("pending", "delivered", "failed", "cancelled");
    }

    /** The tenant's deliveries of alert notifications, each with every attempt made. */
    public DeliveryLog deliveries(Requester requester, DeliveryQuery query) {
        return ReadTimeout.read(jdbi, DeliveryDao.class, dao -> {
            List<DeliveryDao.Logged> rows = dao.page(requester.tenant(), query.channelId().orElse(null),
                    query.alertId().orElse(null), query.status().orElse(null),
                    query.after().map(TimeIdCursor::at).orElse(null), query.after().map(TimeIdCursor::id).orElse(null),
                    query.limit() + 1);
            String next = null;
            if (rows.size() > query.limit()) {
                rows = rows.subList(0, query.limit());
                DeliveryDao.Logged last = rows.get(rows.size() - 1);
                next = new TimeIdCursor(last.createdAt(), last.id()).encode();
            }
            Map<UUID, List<DeliveryDao.Attempt>> attempts = dao.attempts(rows.stream().map(DeliveryDao.Logged::id)
                    .toArray(UUID[]::new)).stream().collect(Collectors.groupingBy(DeliveryDao.Attempt::deliveryId));
            return new DeliveryLog(rows.stream().map(row -> DeliveryView.of(row, attempts.getOrDefault(row.id(), List.of())))
                    .toList(), next);
        });
    }

    /** The requested rule, once each channel it names is found to be one of the tenant's. */
    private AlertRule withTenantChannels(Requester requester, RuleRequest request) {
        AlertRule rule = request.rule();
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < rule.channels().size(); i++) {
            UUID channel = rule.channels().get(i);
            if (jdbi.withExtension(ChannelDao.class, dao -> dao.find(requester.tenant(), channel)).isEmpty()) {
                problems.add(new Problem("channels[" + i + "]", "is not a channel of this tenant"));
            }
        }
        if (!problems.isEmpty()) {
            throw Rejection.invalid(problems);
        }
        return rule;
    }

    private RuleDao.StoredRule stored(Requester requester, String id) {
        return EventIds.parse(id).flatMap(uuid -> jdbi.withExtension(RuleDao.class, dao -> dao.find(requester.tenant(), uuid)))
                .orElseThrow(() -> Rejection.notFound("rule"));
    }
}
