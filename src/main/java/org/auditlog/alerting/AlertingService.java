package org.auditlog.alerting;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.ToIntFunction;
import org.auditlog.access.Caller;
import org.auditlog.common.ApiException;
import org.auditlog.common.LimitsConfiguration;
import org.auditlog.common.Problem;
import org.auditlog.common.RequestBodies;
import org.auditlog.common.Timestamps;
import org.auditlog.database.ReadTimeout;
import org.auditlog.database.TenantLocks;
import org.auditlog.event.EventIds;
import org.auditlog.event.Resource;
import org.auditlog.outbound.OutboundGuard;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Channels, rules and the alerts they raised, for the tenant's admins. */
public final class AlertingService {
    /** The scope of the tenant lock under which rules and channels are counted and changed. */
    private static final String DEFINITIONS = "alert-definitions";

    private final Jdbi jdbi;
    private final AuditTrail trail;
    private final ObjectMapper mapper;
    private final OutboundGuard outbound;
    private final LimitsConfiguration limits;

    public AlertingService(Jdbi jdbi, AuditTrail trail, ObjectMapper mapper, OutboundGuard outbound,
                           LimitsConfiguration limits) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.trail = requireNonNull(trail, "trail is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.outbound = requireNonNull(outbound, "outbound is null");
        this.limits = requireNonNull(limits, "limits is null");
    }

    public record Channels(List<Channel> channels) {
    }

    public Channels channels(Caller caller) {
        return new Channels(ReadTimeout.read(jdbi, ChannelDao.class, dao -> dao.list(caller.tenant())));
    }

    public Channel createChannel(Caller caller, JsonNode body) {
        String type = body.isObject() && body.path("type").isTextual() ? body.get("type").textValue() : null;
        List<Problem> problems = new ArrayList<>();
        String url = null;
        String secret = null;
        List<String> to = null;
        if ("webhook".equals(type)) {
            var request = RequestBodies.object(body, List.of("type", "url", "secret"));
            url = request.string("url");
            secret = request.string("secret");
            if (url == null || !OutboundGuard.isHttpUrl(url)) {
                problems.add(new Problem("url", "must be an http or https URL"));
            } else {
                outbound.checkUrl("url", URI.create(url)).ifPresent(problems::add);
            }
            if (secret == null || secret.length() < 16 || secret.length() > 256) {
                problems.add(new Problem("secret", "must be 16 to 256 characters"));
            }
        } else if ("email".equals(type)) {
            var request = RequestBodies.object(body, List.of("type", "to"));
            to = request.strings("to");
            if (to == null || to.isEmpty() || to.size() > 50) {
                problems.add(new Problem("to", "must list 1 to 50 e-mail addresses"));
            } else {
                for (int i = 0; i < to.size(); i++) {
                    if (!isEmail(to.get(i))) {
                        problems.add(new Problem("to[" + i + "]", "must be an e-mail address"));
                    }
                }
            }
        } else {
            problems.add(new Problem("type", "must be webhook or email"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        UUID id = UUID.randomUUID();
        String channelUrl = url;
        String channelSecret = secret;
        String[] recipients = to == null ? null : to.toArray(String[]::new);
        jdbi.useTransaction(handle -> {
            belowCap(handle, caller.tenant(), h -> h.attach(ChannelDao.class).count(caller.tenant()),
                    limits.getAlertChannels(), "limits.alertChannels", "channels");
            handle.attach(ChannelDao.class).insert(id, caller.tenant(), type, channelUrl, channelSecret, recipients,
                    Timestamps.now(), "key:" + caller.keyId());
        });
        trail.record(caller.tenant(), "admin", "alert.channel.created", caller.asActor(),
                new Resource("alert_channel", id.toString(), type), null);
        return jdbi.withExtension(ChannelDao.class, dao -> dao.find(caller.tenant(), id)).orElseThrow();
    }

    public Channel channel(Caller caller, String id) {
        return EventIds.parse(id).flatMap(uuid -> jdbi.withExtension(ChannelDao.class, dao -> dao.find(caller.tenant(), uuid)))
                .orElseThrow(() -> ApiException.notFound("channel"));
    }

    /** Deletes a channel: its deliveries not yet sent are cancelled, and the rules that named it no longer do. */
    public void deleteChannel(Caller caller, String id) {
        Channel channel = channel(caller, id);
        List<UUID> rules = jdbi.inTransaction(handle -> {
            handle.attach(TenantLocks.class).lock(DEFINITIONS, caller.tenant());
            if (handle.attach(ChannelDao.class).delete(caller.tenant(), channel.id()) == 0) {
                throw ApiException.notFound("channel");
            }
            handle.attach(DeliveryDao.class).cancelForChannel(channel.id(), "the channel was deleted", Timestamps.now());
            return handle.attach(RuleDao.class).dropChannel(caller.tenant(), channel.id().toString(), Timestamps.now());
        });
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        rules.forEach(rule -> details.withArray("rulesUpdated").add(rule.toString()));
        trail.record(caller.tenant(), "admin", "alert.channel.deleted", caller.asActor(),
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
            throw ApiException.invalid(List.of(new Problem(limit,
                    "this tenant already keeps " + cap + " " + what + ", the most it may; delete one first")));
        }
    }

    public record Rules(List<JsonNode> rules) {
    }

    public Rules rules(Caller caller) {
        return new Rules(ReadTimeout.read(jdbi, RuleDao.class, dao -> dao.list(caller.tenant())).stream()
                .map(this::view).toList());
    }

    public JsonNode rule(Caller caller, String id) {
        return view(stored(caller, id));
    }

    public JsonNode createRule(Caller caller, JsonNode body) {
        AlertRule rule = parseWithChannels(caller, body);
        UUID id = UUID.randomUUID();
        jdbi.useTransaction(handle -> {
            belowCap(handle, caller.tenant(), h -> h.attach(RuleDao.class).count(caller.tenant()),
                    limits.getAlertRules(), "limits.alertRules", "alert rules");
            handle.attach(RuleDao.class).insert(id, caller.tenant(), RuleParser.write(rule).toString(), rule.enabled(),
                    Timestamps.now());
        });
        trail.record(caller.tenant(), "admin", "alert.rule.created", caller.asActor(),
                new Resource("alert_rule", id.toString(), rule.name()), RuleParser.write(rule));
        return rule(caller, id.toString());
    }

    public JsonNode updateRule(Caller caller, String id, JsonNode body) {
        RuleDao.StoredRule existing = stored(caller, id);
        AlertRule rule = parseWithChannels(caller, body);
        jdbi.useExtension(RuleDao.class, dao -> dao.update(caller.tenant(), existing.id(),
                RuleParser.write(rule).toString(), rule.enabled(), Timestamps.now()));
        trail.record(caller.tenant(), "admin", "alert.rule.updated", caller.asActor(),
                new Resource("alert_rule", existing.id().toString(), rule.name()), RuleParser.write(rule));
        return rule(caller, id);
    }

    public void deleteRule(Caller caller, String id) {
        RuleDao.StoredRule existing = stored(caller, id);
        jdbi.useExtension(RuleDao.class, dao -> dao.delete(caller.tenant(), existing.id()));
        trail.record(caller.tenant(), "admin", "alert.rule.deleted", caller.asActor(),
                new Resource("alert_rule", existing.id().toString(), null), null);
    }

    public record Alerts(List<Alert> alerts) {
    }

    public Alerts alerts(Caller caller, String state) {
        if (state != null && !state.equals("firing") && !state.equals("resolved")) {
            throw ApiException.badParameter("state", "must be firing or resolved");
        }
        return new Alerts(ReadTimeout.read(jdbi, AlertDao.class, dao -> dao.list(caller.tenant(), state)));
    }

    private AlertRule parseWithChannels(Caller caller, JsonNode body) {
        AlertRule rule = RuleParser.parse(body);
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < rule.channels().size(); i++) {
            UUID channel = rule.channels().get(i);
            if (jdbi.withExtension(ChannelDao.class, dao -> dao.find(caller.tenant(), channel)).isEmpty()) {
                problems.add(new Problem("channels[" + i + "]", "is not a channel of this tenant"));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        return rule;
    }

    private RuleDao.StoredRule stored(Caller caller, String id) {
        return EventIds.parse(id).flatMap(uuid -> jdbi.withExtension(RuleDao.class, dao -> dao.find(caller.tenant(), uuid)))
                .orElseThrow(() -> ApiException.notFound("rule"));
    }

    private JsonNode view(RuleDao.StoredRule stored) {
        try {
            ObjectNode view = JsonNodeFactory.instance.objectNode();
            view.put("id", stored.id().toString());
            view.setAll((ObjectNode) mapper.readTree(stored.definition()));
            view.put("createdAt", Timestamps.format(stored.createdAt()));
            view.put("updatedAt", Timestamps.format(stored.updatedAt()));
            return view;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isEmail(String text) {
        try {
            new InternetAddress(text, true);
            return text.contains("@") && text.length() <= 320;
        } catch (AddressException e) {
            return false;
        }
    }
}
