package org.auditlog.alerting;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;
import org.auditlog.common.Timestamps;

/** A stored rule as the API shows it: its id, its definition and when it was created and last changed. */
public record RuleView(UUID id, AlertRule rule, Instant createdAt, Instant updatedAt) {
    public RuleView {
        requireNonNull(id, "id is null");
        requireNonNull(rule, "rule is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
    }

    static RuleView of(RuleDao.StoredRule stored) {
        return new RuleView(stored.id(), RuleParser.stored(stored.definition()), stored.createdAt(), stored.updatedAt());
    }

    /** The id, the members of the rule's JSON form, then the two times. */
    @JsonValue
    public ObjectNode json() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", id.toString());
        node.setAll(RuleParser.write(rule));
        node.put("createdAt", Timestamps.format(createdAt));
        node.put("updatedAt", Timestamps.format(updatedAt));
        return node;
    }
}
