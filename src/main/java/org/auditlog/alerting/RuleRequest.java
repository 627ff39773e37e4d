package org.auditlog.alerting;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;

/** A rule to create, or to replace a rule with: the validated rule its body describes. */
public record RuleRequest(AlertRule rule) {
    public RuleRequest {
        requireNonNull(rule, "rule is null");
    }

    /** From a request body in the rule's JSON form; every problem is named by its field. */
    public static RuleRequest parse(JsonNode body) {
        return new RuleRequest(RuleParser.parse(body));
    }
}
