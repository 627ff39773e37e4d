package org.auditlog.alerting;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.auditlog.common.Problem;
import org.auditlog.common.Rejection;
import org.auditlog.common.RequestBodies;
import org.auditlog.outbound.Mailer;
import org.auditlog.outbound.OutboundGuard;

/** A channel to create: a webhook (its URL and signing secret) or e-mail (its recipients). */
public record ChannelRequest(String type, Optional<String> url, Optional<String> secret, List<String> to) {
    public ChannelRequest {
        requireNonNull(type, "type is null");
        requireNonNull(url, "url is null");
        requireNonNull(secret, "secret is null");
        to = List.copyOf(to);
    }

    /**
     * From a request body {@code {"type": "webhook", "url", "secret"}} or {@code {"type": "email", "to": [...]}};
     * a webhook's address must pass {@code guard}, so a tenant cannot point the service at a private network.
     */
    public static ChannelRequest parse(JsonNode body, OutboundGuard guard) {
        String type = body.isObject() && body.path("type").isTextual() ? body.get("type").textValue() : null;
        List<Problem> problems = new ArrayList<>();
        String url = null;
        String secret = null;
        List<String> to = List.of();
        if ("webhook".equals(type)) {
            var request = RequestBodies.object(body, List.of("type", "url", "secret"));
            url = request.string("url");
            secret = request.string("secret");
            if (url == null || !OutboundGuard.isHttpUrl(url)) {
                problems.add(new Problem("url", "must be an http or https URL"));
            } else {
                guard.checkUrl("url", URI.create(url)).ifPresent(problems::add);
            }
            if (secret == null || secret.length() < 16 || secret.length() > 256) {
                problems.add(new Problem("secret", "must be 16 to 256 characters"));
            }
        } else if ("email".equals(type)) {
            var request = RequestBodies.object(body, List.of("type", "to"));
            List<String> recipients = request.strings("to");
            if (recipients == null || recipients.isEmpty() || recipients.size() > 50) {
                problems.add(new Problem("to", "must list 1 to 50 e-mail addresses"));
            } else {
                for (int i = 0; i < recipients.size(); i++) {
                    if (!Mailer.isAddress(recipients.get(i))) {
                        problems.add(new Problem("to[" + i + "]", "must be an e-mail address"));
                    }
                }
                to = recipients;
            }
        } else {
            problems.add(new Problem("type", "must be webhook or email"));
        }
        if (!problems.isEmpty()) {
            throw Rejection.invalid(problems);
        }
        return new ChannelRequest(type, Optional.ofNullable(url), Optional.ofNullable(secret), to);
    }
}
