package org.auditlog.stream;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.auditlog.event.EventField;
import org.auditlog.event.Outcome;

/**
 * Every rule that turns an audit event into OCSF and CEF, as tables: the fields, the choice of OCSF
 * class, the activity, the outcome (severity and status) and the actor's type. docs/streams.md prints
 * the same tables; the writers ({@link OcsfWriter}, {@link CefWriter}) only follow them.
 */
public final class StreamMapping {
    /** The OCSF version the OCSF format follows (https://schema.ocsf.io/1.3.0/). */
    public static final String OCSF_VERSION = "1.3.0";

    private StreamMapping() {
    }

    // ---------------------------------------------------------------- fields

    /** How a value is written: as the event holds it, as epoch milliseconds, or as the API's text. */
    public enum Conversion { AS_IS, EPOCH_MS, TEXT }

    /** Where one field of the event goes in OCSF (the same in every class) and in CEF's extension. */
    public record Target(String path, Conversion conversion) {
    }

    /**
     * One row of the field table. {@code ocsf} is empty when the field's place depends on the class
     * (the resource: {@link Profile}) or when it is kept only in {@code unmapped}; {@code cef} is null
     * when CEF has no key for it; {@code cefLabel} names a custom key ({@code cs1}, {@code cn1}).
     */
    public record FieldRow(EventField field, List<Target> ocsf, String cef, String cefLabel) {
    }

    public static final List<FieldRow> FIELDS = List.of(
            row(EventField.ID, "externalId", null, ocsf("metadata.uid", Conversion.AS_IS)),
            row(EventField.TENANT, "cs1", "tenant", ocsf("metadata.tenant_uid", Conversion.AS_IS)),
            row(EventField.SEQ, "cn1", "seq", ocsf("metadata.sequence", Conversion.AS_IS)),
            row(EventField.OCCURRED_AT, "rt", null, ocsf("time", Conversion.EPOCH_MS),
                    ocsf("metadata.original_time", Conversion.TEXT)),
            row(EventField.RECEIVED_AT, null, null, ocsf("metadata.logged_time", Conversion.EPOCH_MS)),
            row(EventField.CATEGORY, "cat", null),
            row(EventField.ACTION, null, null, ocsf("metadata.event_code", Conversion.AS_IS)),
            row(EventField.OUTCOME, "outcome", null),
            row(EventField.ACTOR_ID, "suid", null, ocsf("actor.user.uid", Conversion.AS_IS)),
            row(EventField.ACTOR_TYPE, "cs6", "actorType", ocsf("actor.user.type", Conversion.AS_IS)),
            row(EventField.ACTOR_NAME, "suser", null, ocsf("actor.user.name", Conversion.AS_IS)),
            row(EventField.ACTOR_EMAIL, null, null, ocsf("actor.user.email_addr", Conversion.AS_IS)),
            row(EventField.RESOURCE_TYPE, "cs2", "resourceType"),
            row(EventField.RESOURCE_ID, "cs3", "resourceId"),
            row(EventField.RESOURCE_NAME, "cs4", "resourceName"),
            row(EventField.SOURCE_IP, "src", null, ocsf("src_endpoint.ip", Conversion.AS_IS)),
            row(EventField.USER_AGENT, "requestClientApplication", null,
                    ocsf("http_request.user_agent", Conversion.AS_IS)),
            row(EventField.REQUEST_ID, "cs5", "requestId", ocsf("http_request.uid", Conversion.AS_IS)),
            row(EventField.REASON, "reason", null, ocsf("message", Conversion.AS_IS)),
            row(EventField.CHANGES, null, null),
            row(EventField.METADATA, null, null),
            row(EventField.IDEMPOTENCY_KEY, null, null),
            row(EventField.PREV_HASH, null, null),
            row(EventField.HASH, null, null));

    /** CEF's key for a source address that is IPv6 ({@code src} holds IPv4 only), and its label. */
    public static final String CEF_SOURCE_IPV6 = "c6a2";
    public static final String CEF_SOURCE_IPV6_LABEL = "Source IPv6 Address";

    // ---------------------------------------------------------------- classes and activities

    public enum OcsfClass {
        AUTHENTICATION(3002, "Authentication", 3, "Identity & Access Management"),
        ACCOUNT_CHANGE(3001, "Account Change", 3, "Identity & Access Management"),
        API_ACTIVITY(6003, "API Activity", 6, "Application Activity");

        public final int uid;
        public final String caption;
        public final int categoryUid;
        public final String categoryName;

        OcsfClass(int uid, String caption, int categoryUid, String categoryName) {
            this.uid = uid;
            this.caption = caption;
            this.categoryUid = categoryUid;
            this.categoryName = categoryName;
        }
    }

    public record Activity(int id, String name) {
    }

    public static final Activity OTHER = new Activity(99, "Other");

    /** Where the OCSF {@code user} of a class comes from, when the class has one. */
    public enum UserFrom { NONE, ACTOR, RESOURCE }

    /**
     * A class as the mapping uses it: its activities by the action's last word, where its {@code user}
     * comes from, whether the resource goes in {@code resources}, the action in {@code api.operation},
     * the tenant in {@code service.name}, and whether {@code src_endpoint} is written when the event has
     * no source address (the class requires it).
     */
    public record Profile(String name, OcsfClass ocsfClass, Map<String, Activity> activities, UserFrom user,
                          boolean resources, boolean api, boolean service, boolean sourceRequired) {
        /** The activity of an action: its last segment, else that segment's last {@code _} word, else Other. */
        public Activity activity(String action) {
            String last = lastSegment(action);
            Activity exact = activities.get(last);
            if (exact != null) {
                return exact;
            }
            return activities.getOrDefault(last.substring(last.lastIndexOf('_') + 1), OTHER);
        }
    }

    public static final Profile AUTHENTICATION = new Profile("authentication", OcsfClass.AUTHENTICATION, activities(
            activity(1, "Logon", "login", "logon", "sign_in", "signin"),
            activity(2, "Logoff", "logout", "logoff", "sign_out", "signout")),
            UserFrom.ACTOR, false, false, true, false);
    public static final Profile ROLE_CHANGE = new Profile("role change", OcsfClass.ACCOUNT_CHANGE, activities(
            activity(1, "Create", "created"),
            activity(6, "Delete", "deleted"),
            activity(7, "Attach Policy", "granted", "added", "assigned", "attached"),
            activity(8, "Detach Policy", "revoked", "removed", "unassigned", "detached")),
            UserFrom.RESOURCE, false, false, false, false);
    public static final Profile ACCOUNT_CHANGE = new Profile("account change", OcsfClass.ACCOUNT_CHANGE, activities(
            activity(1, "Create", "created", "added", "invited"),
            activity(2, "Enable", "enabled", "activated", "reactivated"),
            activity(3, "Password Change", "password_changed", "password_updated"),
            activity(4, "Password Reset", "password_reset"),
            activity(5, "Disable", "disabled", "deactivated", "suspended"),
            activity(6, "Delete", "deleted", "removed", "revoked"),
            activity(9, "Lock", "locked"),
            activity(10, "MFA Factor Enable", "mfa_enabled"),
            activity(11, "MFA Factor Disable", "mfa_disabled")),
            UserFrom.RESOURCE, false, false, false, false);
    public static final Profile API_ACTIVITY = new Profile("API activity", OcsfClass.API_ACTIVITY, activities(
            activity(1, "Create", "created", "granted", "added", "requested"),
            activity(2, "Read", "read", "viewed", "queried", "exported", "downloaded", "streamed", "listed",
                    "searched", "verified"),
            activity(3, "Update", "updated", "changed", "set", "modified", "renamed"),
            activity(4, "Delete", "deleted", "revoked", "removed", "released", "purged")),
            UserFrom.NONE, true, true, false, true);

    /**
     * One rule choosing a class: every condition given must hold (an empty set is no condition); the
     * first rule that holds wins. {@code known} asks that the action's last word be one of the
     * profile's activities.
     */
    public record ClassRule(Profile profile, Set<String> categories, Set<String> firstSegments, Set<String> words,
                            Set<String> lastSegments, boolean known) {
        boolean matches(String category, String action) {
            return (categories.isEmpty() || categories.contains(category))
                    && (firstSegments.isEmpty() || firstSegments.contains(action.substring(0, segmentEnd(action))))
                    && (words.isEmpty() || actionWords(action).stream().anyMatch(words::contains))
                    && (lastSegments.isEmpty() || lastSegments.contains(lastSegment(action)))
                    && (!known || profile.activity(action) != OTHER);
        }
    }

    public static final List<ClassRule> CLASS_RULES = List.of(
            new ClassRule(AUTHENTICATION, Set.of(), Set.of(), Set.of(), AUTHENTICATION.activities().keySet(), false),
            new ClassRule(ROLE_CHANGE, Set.of(), Set.of(), Set.of("role", "roles"), Set.of(), false),
            new ClassRule(ACCOUNT_CHANGE, Set.of(), Set.of("api_key"), Set.of(), Set.of(), false),
            new ClassRule(ACCOUNT_CHANGE, Set.of(), Set.of("user", "account", "member"), Set.of(), Set.of(), true),
            new ClassRule(AUTHENTICATION, Set.of("authentication"), Set.of(), Set.of(), Set.of(), false),
            new ClassRule(API_ACTIVITY, Set.of(), Set.of(), Set.of(), Set.of(), false));

    /** The profile of an event: the first class rule that holds. */
    public static Profile profile(String category, String action) {
        return CLASS_RULES.stream().filter(rule -> rule.matches(category, action)).findFirst().orElseThrow().profile();
    }

    // ---------------------------------------------------------------- outcome

    /** What an outcome becomes: OCSF's severity and status, and CEF's severity (0–10). */
    public record OutcomeRow(int severityId, String severity, int statusId, String status, boolean detail,
                             int cefSeverity) {
    }

    public static final Map<Outcome, OutcomeRow> OUTCOMES = Map.of(
            Outcome.SUCCESS, new OutcomeRow(1, "Informational", 1, "Success", false, 1),
            Outcome.ERROR, new OutcomeRow(2, "Low", 2, "Failure", true, 4),
            Outcome.FAILURE, new OutcomeRow(3, "Medium", 2, "Failure", true, 6),
            Outcome.DENIED, new OutcomeRow(3, "Medium", 2, "Failure", true, 6));

    // ---------------------------------------------------------------- actor type

    /** OCSF's {@code user.type_id} for an actor's type; any other type is Other (99). */
    public static final Map<String, Integer> ACTOR_TYPES = Map.of("user", 1, "admin", 2, "system", 3, "service", 3);

    public static int actorTypeId(String type) {
        return ACTOR_TYPES.getOrDefault(type.toLowerCase(Locale.ROOT), 99);
    }

    // ---------------------------------------------------------------- helpers

    public static Optional<FieldRow> row(EventField field) {
        return FIELDS.stream().filter(row -> row.field() == field).findFirst();
    }

    static String lastSegment(String action) {
        return action.substring(action.lastIndexOf('.') + 1);
    }

    private static int segmentEnd(String action) {
        int dot = action.indexOf('.');
        return dot < 0 ? action.length() : dot;
    }

    /** The action's segments and the {@code _}-separated words inside them. */
    private static Set<String> actionWords(String action) {
        return Arrays.stream(action.split("[._]")).collect(java.util.stream.Collectors.toSet());
    }

    private static FieldRow row(EventField field, String cef, String cefLabel, Target... ocsf) {
        return new FieldRow(field, List.of(ocsf), cef, cefLabel);
    }

    private static Target ocsf(String path, Conversion conversion) {
        return new Target(path, conversion);
    }

    private record Words(Activity activity, List<String> words) {
    }

    private static Words activity(int id, String name, String... words) {
        return new Words(new Activity(id, name), List.of(words));
    }

    private static Map<String, Activity> activities(Words... rows) {
        Map<String, Activity> map = new LinkedHashMap<>();
        for (Words row : rows) {
            row.words().forEach(word -> map.put(word, row.activity()));
        }
        return java.util.Collections.unmodifiableMap(map);
    }
}
