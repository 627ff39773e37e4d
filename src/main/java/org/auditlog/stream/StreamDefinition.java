package org.auditlog.stream;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.auditlog.common.Problem;
import org.auditlog.common.Rejection;
import org.auditlog.common.RequestBodies;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.FilterParser;
import org.auditlog.outbound.OutboundGuard;

/**
 * A stream as an admin defines it (POST and PUT): its name, type, format, filters, whether it holds
 * back retention, and the type's settings, given as top-level members: {@code settings} the ones that
 * may be shown back, {@code secret} the type's secret (a webhook's signing secret), kept to use only.
 */
public record StreamDefinition(String name, StreamType type, StreamFormat format, EventFilter filter,
                               boolean blocksRetention, ObjectNode settings, Optional<String> secret) {
    private static final List<String> COMMON = List.of("name", "type", "format", "filters", "blocksRetention");

    public StreamDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(format, "format is null");
        requireNonNull(filter, "filter is null");
        requireNonNull(settings, "settings is null");
        requireNonNull(secret, "secret is null");
    }

    @Override
    public String toString() {
        return "StreamDefinition[" + name + ", " + type.wireName() + ", " + format.wireName() + "]";
    }

    /**
     * From a request body; every problem is a 422 naming its field. {@code secretRequired} is false for
     * a change of a stream that already keeps its secret: an absent secret keeps it. A destination's
     * address must pass {@code guard}, so a tenant cannot point the service at a private network.
     */
    public static StreamDefinition parse(JsonNode body, OutboundGuard guard, boolean secretRequired) {
        if (!body.isObject()) {
            throw Rejection.invalid(List.of(new Problem("", "must be a JSON object")));
        }
        String typeName = body.path("type").isTextual() ? body.get("type").textValue() : null;
        Optional<StreamType> type = StreamType.fromWire(typeName);
        if (type.isEmpty()) {
            throw Rejection.invalid(List.of(new Problem("type", "must be webhook, splunk-hec, syslog or datadog")));
        }
        if (type.get() != StreamType.WEBHOOK) {
            throw Rejection.invalid(List.of(new Problem("type", typeName + " is not supported yet; use webhook")));
        }
        List<String> allowed = new ArrayList<>(COMMON);
        allowed.addAll(List.of("url", "secret"));
        var request = RequestBodies.object(body, allowed);
        List<Problem> problems = new ArrayList<>();
        String name = request.string("name");
        if (name == null || name.isBlank() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
            problems.add(new Problem("name", "must be 1 to 200 characters, without control characters"));
        }
        String formatName = request.string("format");
        Optional<StreamFormat> format = StreamFormat.fromWire(formatName);
        if (format.isEmpty()) {
            problems.add(new Problem("format", "must be native, ocsf or cef"));
        }
        JsonNode blocks = body.get("blocksRetention");
        if (blocks != null && !blocks.isNull() && !blocks.isBoolean()) {
            problems.add(new Problem("blocksRetention", "must be true or false"));
        }
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        String secret = webhook(request, guard, secretRequired, settings, problems);
        EventFilter filter = EventFilter.none();
        try {
            filter = FilterParser.parseObject(body.get("filters"), "filters");
        } catch (Rejection e) {
            problems.addAll(e.details());
        }
        if (!problems.isEmpty()) {
            throw Rejection.invalid(problems);
        }
        return new StreamDefinition(name, type.get(), format.get(), filter, blocks != null && blocks.asBoolean(false),
                settings, Optional.ofNullable(secret));
    }

    /** A webhook's {@code url} (into {@code settings}) and its signing {@code secret} (answered). */
    private static String webhook(RequestBodies request, OutboundGuard guard, boolean secretRequired,
                                  ObjectNode settings, List<Problem> problems) {
        String url = request.string("url");
        if (url == null || !OutboundGuard.isHttpUrl(url)) {
            problems.add(new Problem("url", "must be an http or https URL"));
        } else if (URI.create(url).getRawUserInfo() != null) {
            problems.add(new Problem("url", "must not hold credentials; the secret signs each batch"));
        } else {
            guard.checkUrl("url", URI.create(url)).ifPresent(problems::add);
            settings.put("url", url);
        }
        String secret = request.string("secret");
        if ((secret == null && secretRequired) || (secret != null && (secret.length() < 16 || secret.length() > 256))) {
            problems.add(new Problem("secret", "must be 16 to 256 characters"));
        }
        return secret;
    }
}
