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
import org.auditlog.outbound.PemTrust;

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
        List<String> allowed = new ArrayList<>(COMMON);
        allowed.addAll(type.get().members());
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
        var given = new Settings(request, guard, secretRequired, settings, problems);
        String secret = switch (type.get()) {
            case WEBHOOK -> WebhookSender.settings(given);
            case SPLUNK_HEC -> SplunkHecSender.settings(given);
            case SYSLOG -> SyslogSender.settings(given);
            case DATADOG -> DatadogSender.settings(given);
        };
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

    /**
     * What a type's settings are read from and into: the request, the outbound guard every destination
     * passes, whether the type's secret must be given, the settings that may be shown back (filled), and
     * the problems found (added to). Each type's reader answers its secret, or null.
     */
    record Settings(RequestBodies request, OutboundGuard guard, boolean secretRequired, ObjectNode settings,
                    List<Problem> problems) {
        /** An http(s) destination URL member, checked by the guard and kept in the settings. */
        void url(String member, String credentialsHint) {
            String url = request.string(member);
            if (url == null || !OutboundGuard.isHttpUrl(url)) {
                problems.add(new Problem(member, "must be an http or https URL"));
            } else if (URI.create(url).getRawUserInfo() != null) {
                problems.add(new Problem(member, "must not hold credentials; " + credentialsHint));
            } else {
                guard.checkUrl(member, URI.create(url)).ifPresent(problems::add);
                settings.put(member, url);
            }
        }

        /** The type's secret member: required unless kept from before, {@code min} to 256 characters. */
        String secret(String member, int min) {
            String secret = request.string(member);
            if ((secret == null && secretRequired) || (secret != null && (secret.length() < min || secret.length() > 256))) {
                problems.add(new Problem(member, "must be " + min + " to 256 characters"));
            }
            return secret;
        }

        /** An optional {@code caCertificate}: PEM certificates of a private CA, kept in the settings. */
        void caCertificate() {
            String pem = request.string("caCertificate");
            if (pem == null) {
                return;
            }
            try {
                PemTrust.certificates(pem);
                settings.put("caCertificate", pem);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem("caCertificate", e.getMessage()));
            }
        }
    }
}
