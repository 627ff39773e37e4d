package org.auditlog.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.auditlog.common.Timestamps;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.Resource;
import org.auditlog.stream.StreamMapping.Activity;
import org.auditlog.stream.StreamMapping.FieldRow;
import org.auditlog.stream.StreamMapping.OcsfClass;
import org.auditlog.stream.StreamMapping.OutcomeRow;
import org.auditlog.stream.StreamMapping.Profile;
import org.auditlog.stream.StreamMapping.Target;

/** An event as an OCSF {@value StreamMapping#OCSF_VERSION} event, by the tables of {@link StreamMapping}. */
final class OcsfWriter {
    private OcsfWriter() {
    }

    static ObjectNode write(AuditEvent event, StreamProduct product, ObjectMapper mapper) {
        Profile profile = StreamMapping.profile(event.category(), event.action());
        OcsfClass type = profile.ocsfClass();
        Activity activity = profile.activity(event.action());
        OutcomeRow outcome = StreamMapping.OUTCOMES.get(event.outcomeValue());

        ObjectNode ocsf = mapper.createObjectNode();
        ocsf.put("class_uid", type.uid).put("class_name", type.caption)
                .put("category_uid", type.categoryUid).put("category_name", type.categoryName)
                .put("activity_id", activity.id()).put("activity_name", activity.name())
                .put("type_uid", type.uid * 100L + activity.id())
                .put("type_name", type.caption + ": " + activity.name())
                .put("severity_id", outcome.severityId()).put("severity", outcome.severity())
                .put("status_id", outcome.statusId()).put("status", outcome.status());
        if (outcome.detail()) {
            ocsf.put("status_detail", event.outcome());
        }
        ocsf.putObject("metadata").put("version", StreamMapping.OCSF_VERSION).putObject("product")
                .put("name", product.name()).put("vendor_name", product.vendorName()).put("version", product.version());

        for (FieldRow row : StreamMapping.FIELDS) {
            Object value = row.field().of(event);
            if (value == null) {
                continue;
            }
            for (Target target : row.ocsf()) {
                put(ocsf, target.path(), converted(mapper, value, target));
            }
        }
        ((ObjectNode) ocsf.get("actor").get("user")).put("type_id", StreamMapping.actorTypeId(event.actor().type()));

        switch (profile.user()) {
            case ACTOR -> ocsf.set("user", ocsf.get("actor").get("user").deepCopy());
            case RESOURCE -> ocsf.set("user", target(event.resource(), ocsf));
            case NONE -> { }
        }
        if (profile.service()) {
            ocsf.putObject("service").put("name", event.tenant());
        }
        if (profile.api()) {
            ocsf.putObject("api").put("operation", event.action());
        }
        if (profile.resources() && event.resource() != null) {
            ObjectNode resource = ocsf.putArray("resources").addObject().put("type", event.resource().type());
            putIfPresent(resource, "uid", event.resource().id());
            putIfPresent(resource, "name", event.resource().name());
        }
        if (profile.sourceRequired() && !ocsf.has("src_endpoint")) {
            // src_endpoint is required and needs one of ip, uid, name, ...: say the source is unknown.
            ocsf.putObject("src_endpoint").put("name", "unknown");
        }

        ObjectNode original = mapper.valueToTree(event);
        ocsf.set("unmapped", original);
        ocsf.put("raw_data", StreamFormat.NATIVE.format(event, product, mapper));
        return ocsf;
    }

    /** Account Change's {@code user}: the resource when it names one, else the actor. */
    private static JsonNode target(Resource resource, ObjectNode ocsf) {
        if (resource == null || (resource.id() == null && resource.name() == null)) {
            return ocsf.get("actor").get("user").deepCopy();
        }
        ObjectNode user = ocsf.objectNode();
        putIfPresent(user, "uid", resource.id());
        putIfPresent(user, "name", resource.name());
        return user.put("type", resource.type()).put("type_id", StreamMapping.actorTypeId(resource.type()));
    }

    private static JsonNode converted(ObjectMapper mapper, Object value, Target target) {
        if (value instanceof Instant instant) {
            return switch (target.conversion()) {
                case EPOCH_MS -> mapper.getNodeFactory().numberNode(instant.toEpochMilli());
                default -> mapper.getNodeFactory().textNode(Timestamps.format(instant));
            };
        }
        return mapper.valueToTree(value);
    }

    private static void put(ObjectNode root, String path, JsonNode value) {
        String[] names = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < names.length - 1; i++) {
            node = node.has(names[i]) ? (ObjectNode) node.get(names[i]) : node.putObject(names[i]);
        }
        node.set(names[names.length - 1], value);
    }

    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }
}
