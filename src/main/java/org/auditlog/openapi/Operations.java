package org.auditlog.openapi;

import static org.auditlog.openapi.Operation.bool;
import static org.auditlog.openapi.Operation.named;
import static org.auditlog.openapi.Operation.oneOf;
import static org.auditlog.openapi.Operation.string;
import static org.auditlog.openapi.Operation.wholeNumber;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.auditlog.openapi.Operation.Answer;
import org.auditlog.openapi.Operation.QueryParameter;

/**
 * Every operation of the API under the key {@code METHOD /path}, in the words of docs/api.md. The routes, their
 * path parameters, the roles they need (and the description's first sentence, which names the role) and the
 * refusals that follow from those come from the resources; this
 * table says the rest. OpenApiTest holds it to the resources in both directions.
 */
final class Operations {
    private static final String EVENT_ID = "An event's id; another tenant's answers 404 exactly as a missing one.";

    /** The event filters, in the order the document lists them; FilterParser.FILTERS names the same. */
    static final List<QueryParameter> FILTERS = List.of(
            filter("from", string("date-time"), "`occurredAt` from this moment, inclusive (ISO-8601 with an offset)."),
            filter("to", string("date-time"), "`occurredAt` before this moment, exclusive; later than `from`."),
            filter("actorId", string(), "The actor's id, exactly."),
            filter("actorType", string(), "The actor's type, exactly."),
            filter("action", string(), "The action exactly (`user.login`), or a prefix when it ends in `.*` (`user.*`)."),
            filter("category", string(), "The category, exactly."),
            filter("outcome", oneOf("success", "failure", "denied", "error"), "The outcome."),
            filter("resourceType", string(), "The resource's type, exactly."),
            filter("resourceId", string(), "The resource's id, exactly."),
            filter("ip", string(), "The source address, in any notation of it."),
            filter("requestId", string(), "The request id, exactly."));

    private static final String META = " Also `meta.<key>=<value>` (repeatable with other keys): a top-level metadata "
            + "value, all of them matching. Any other parameter, or one given twice, answers 400 naming it.";

    private static final Map<String, String> EXPORT_FILES = Map.of("text/csv", Answer.FILE,
            "application/x-ndjson", Answer.FILE, "application/json", Answer.FILE);

    static final Map<String, Operation> ALL = table(List.of(
            entry("POST /api/v1/events", named("ingestEvent", "Ingest one event")
                    .description("Answered once the event is durably committed.")
                    .body("EventInput")
                    .answer(201, "The stored event.", "StoredEvent")
                    .answer(200, "The idempotency key was used before in the tenant: the first stored event, with "
                            + "`duplicate: true`; nothing new is stored.", "StoredEvent")),
            entry("POST /api/v1/events/batch", named("ingestBatch", "Ingest 1 to 1000 events, all or nothing")
                    .description("One invalid event answers 422 naming `events[i].<field>` and "
                            + "nothing is stored.")
                    .body("EventBatchInput")
                    .answer(201, "One entry per event, in input order.", "BatchAnswer")),
            entry("GET /api/v1/events", named("searchEvents", "Query events")
                    .description("Following `nextCursor` with the same filters and order walks every "
                            + "match exactly once." + META)
                    .query(FILTERS)
                    .query("limit", wholeNumber(1, 1000, 100), "Events a page.")
                    .query("order", oneOf("desc", "asc"), "By `occurredAt`, then `seq`; `desc` by default.")
                    .query("cursor", string(), "The `nextCursor` of the page before.")
                    .answer(200, "A page of events.", "EventPage")),
            entry("GET /api/v1/events/stats", named("eventStats", "Count events by a key")
                    .description("Buckets by count descending, or by time ascending for `minute`, "
                            + "`hour` and `day`." + META)
                    .requiredQuery("groupBy", oneOf("action", "category", "outcome", "actorId", "resourceType",
                            "minute", "hour", "day"), "What the buckets count by.")
                    .query(FILTERS)
                    .answer(200, "The total and the buckets.", "Stats")),
            entry("GET /api/v1/events/{id}", named("getEvent", "Read one event")
                    .description(EVENT_ID)
                    .answer(200, "The stored event.", "Event")),

            entry("GET /api/v1/exports/stream", named("streamExport", "Export every match, streamed")
                    .description("Ascending by `seq`, as an attachment." + META)
                    .query("format", oneOf("csv", "ndjson", "json"), "The file's format; `csv` by default.")
                    .query(FILTERS)
                    .answer(200, "The file.", EXPORT_FILES)
                    .refuses(429)),
            entry("POST /api/v1/exports", named("requestExport", "Request a background export")
                    .description("A scheduled job writes the file.")
                    .body("ExportInput")
                    .answer(202, "The export, queued.", "Export")
                    .refuses(429)),
            entry("GET /api/v1/exports/{id}", named("getExport", "Read an export's status")
                    .answer(200, "The export.", "Export")),
            entry("GET /api/v1/exports/{id}/download", named("downloadExport", "Download an export's file")
                    .description("409 while the export is not done, 410 once its file expired.")
                    .answer(200, "The file.", EXPORT_FILES)
                    .refuses(409, 410)),
            entry("GET /api/v1/exports/{id}/manifest", named("getExportManifest", "Read an export's signed manifest")
                    .answer(200, "The manifest, signed with Ed25519 over its RFC 8785 form without `signature`.",
                            "ExportManifest")
                    .refuses(409)),

            entry("POST /api/v1/reports", named("requestReport", "Request a compliance report")
                    .description("A signed PDF of a period, made in the background.")
                    .body("ReportInput")
                    .answer(202, "The report, queued.", "Report")),
            entry("GET /api/v1/reports", named("listReports", "List the tenant's reports")
                    .description("Newest first.")
                    .query("limit", wholeNumber(1, 100, 20), "Reports a page.")
                    .query("cursor", string(), "The `nextCursor` of the page before.")
                    .answer(200, "A page of reports.", "ReportList")),
            entry("GET /api/v1/reports/{id}", named("getReport", "Read a report's status")
                    .answer(200, "The report.", "Report")),
            entry("GET /api/v1/reports/{id}/download", named("downloadReport", "Download a report's PDF")
                    .description("409 while the report is not done.")
                    .answer(200, "The PDF.", Map.of("application/pdf", Answer.FILE))
                    .refuses(409)),
            entry("GET /api/v1/reports/{id}/manifest", named("getReportManifest", "Read a report's signed manifest")
                    .answer(200, "The manifest, signed like an export's.", "ReportManifest")
                    .refuses(409)),
            entry("GET /api/v1/reports/schedules", named("listReportSchedules", "List the report schedules")
                    .description("By name.")
                    .answer(200, "The schedules.", "ReportScheduleList")),
            entry("GET /api/v1/reports/schedules/{name}", named("getReportSchedule", "Read a report schedule")
                    .answer(200, "The schedule.", "ReportSchedule")),
            entry("PUT /api/v1/reports/schedules/{name}", named("setReportSchedule", "Create or replace a report schedule")
                    .description("`name` matches `[a-z0-9][a-z0-9_-]{0,63}`.")
                    .body("ReportScheduleInput")
                    .answer(201, "The schedule, new.", "ReportSchedule")
                    .answer(200, "The schedule, replaced.", "ReportSchedule")
                    .setsAtPath()),
            entry("DELETE /api/v1/reports/schedules/{name}", named("deleteReportSchedule", "Delete a report schedule")
                    .description("Its reports stay.")
                    .empty(204, "Deleted.")),

            entry("GET /api/v1/integrity/verify", named("verifyChain", "Verify the tenant's hash chain")
                    .description("The whole chain while another whole-chain verification of the "
                            + "tenant runs answers 429.")
                    .query("fromSeq", wholeNumber(1), "The first seq; by default the oldest kept event.")
                    .query("toSeq", wholeNumber(1), "The last seq; by default the newest event or checkpoint.")
                    .answer(200, "What was verified, and the first broken seq if any.", "Verification")
                    .refuses(429)),
            entry("GET /api/v1/integrity/checkpoints", named("listCheckpoints", "List signed checkpoints")
                    .description("Newest first.")
                    .query("limit", wholeNumber(1, 1000, 100), "Checkpoints to list.")
                    .answer(200, "The checkpoints.", "CheckpointList")),
            entry("GET /api/v1/integrity/keys", named("listSigningKeys", "List the signing keys")
                    .description("Every Ed25519 key ever used.")
                    .answer(200, "The public keys.", "SigningKeyList")),

            entry("GET /api/v1/retention/policies", named("listRetentionPolicies", "List retention policies")
                    .answer(200, "The policies; `*` is the default.", "RetentionPolicyList")),
            entry("PUT /api/v1/retention/policies/{category}", named("setRetentionPolicy", "Set a category's retention")
                    .description("`category` is `*` or `^[a-z0-9_]{1,64}$` (422 otherwise).")
                    .body("RetentionPolicyInput")
                    .answer(200, "The policy.", "RetentionPolicy")
                    .setsAtPath()),
            entry("GET /api/v1/retention/holds", named("listLegalHolds", "List legal holds")
                    .description("Released ones included.")
                    .answer(200, "The holds.", "LegalHoldList")),
            entry("POST /api/v1/retention/holds", named("createLegalHold", "Place a legal hold")
                    .description("Events matching an active hold are never deleted.")
                    .body("LegalHoldInput")
                    .answer(201, "The hold.", "LegalHold")),
            entry("DELETE /api/v1/retention/holds/{id}", named("releaseLegalHold", "Release a legal hold")
                    .description("The record stays, with `releasedAt`.")
                    .answer(200, "The hold, released.", "LegalHold")),
            entry("POST /api/v1/retention/runs", named("runRetention", "Run retention for the tenant now")
                    .description("Answers when done; 409 while another run of the tenant goes on.")
                    .query("dryRun", bool(), "`true` deletes nothing; `false` deletes.")
                    .answer(200, "The run.", "RetentionRun")
                    .refuses(409)),
            entry("GET /api/v1/retention/runs", named("listRetentionRuns", "List retention runs")
                    .description("Newest first, the last 100.")
                    .answer(200, "The runs.", "RetentionRunList")),

            entry("GET /api/v1/alerts", named("listAlerts", "List alerts")
                    .description("Newest first, 200 at most.")
                    .query("state", oneOf("firing", "resolved"), "Only alerts in this state.")
                    .answer(200, "The alerts.", "AlertList")),
            entry("GET /api/v1/alerts/deliveries", named("listAlertDeliveries", "Read the alert delivery log")
                    .description("Newest first, each notification with every attempt. Any other "
                            + "parameter, or one given twice, answers 400 naming it.")
                    .query("channelId", string("uuid"), "Only this channel's deliveries.")
                    .query("alertId", string("uuid"), "Only this alert's deliveries.")
                    .query("status", oneOf("pending", "delivered", "failed", "cancelled"), "Only these.")
                    .query("limit", wholeNumber(1, 200, 50), "Deliveries a page.")
                    .query("cursor", string(), "The `nextCursor` of the page before.")
                    .answer(200, "A page of the log.", "DeliveryLog")),
            entry("POST /api/v1/alerts/channels", named("createAlertChannel", "Create an alert channel")
                    .description("A webhook (to a public address unless the operator allows private "
                            + "ones) or e-mail recipients.")
                    .body("AlertChannelInput")
                    .answer(201, "The channel; a webhook's secret is never shown back.", "AlertChannel")),
            entry("GET /api/v1/alerts/channels", named("listAlertChannels", "List alert channels")
                    .answer(200, "The channels.", "AlertChannelList")),
            entry("GET /api/v1/alerts/channels/{id}", named("getAlertChannel", "Read an alert channel")
                    .answer(200, "The channel.", "AlertChannel")),
            entry("DELETE /api/v1/alerts/channels/{id}", named("deleteAlertChannel", "Delete an alert channel")
                    .description("Its pending deliveries are cancelled; rules no longer name it.")
                    .empty(204, "Deleted.")),
            entry("POST /api/v1/alerts/rules", named("createAlertRule", "Create a threshold alert rule")
                    .body("AlertRuleInput")
                    .answer(201, "The rule.", "AlertRule")),
            entry("GET /api/v1/alerts/rules", named("listAlertRules", "List alert rules")
                    .answer(200, "The rules.", "AlertRuleList")),
            entry("GET /api/v1/alerts/rules/{id}", named("getAlertRule", "Read an alert rule")
                    .answer(200, "The rule.", "AlertRule")),
            entry("PUT /api/v1/alerts/rules/{id}", named("replaceAlertRule", "Replace an alert rule")
                    .body("AlertRuleInput")
                    .answer(200, "The rule.", "AlertRule")),
            entry("DELETE /api/v1/alerts/rules/{id}", named("deleteAlertRule", "Delete an alert rule")
                    .description("Its open alerts resolve.")
                    .empty(204, "Deleted.")),

            entry("POST /api/v1/streams", named("createStream", "Create a SIEM stream")
                    .description("Sends every matching event, in `seq` order, at least once.")
                    .body("StreamInput")
                    .answer(201, "The stream's status.", "Stream")),
            entry("GET /api/v1/streams", named("listStreams", "List SIEM streams")
                    .answer(200, "The streams.", "StreamList")),
            entry("GET /api/v1/streams/{id}", named("getStream", "Read a SIEM stream's status")
                    .answer(200, "The stream's status.", "Stream")),
            entry("PUT /api/v1/streams/{id}", named("replaceStream", "Replace a SIEM stream's definition")
                    .description("`secret` may be left out to keep the stored one; `type` cannot "
                            + "change. The cursor stays.")
                    .body("StreamInput")
                    .answer(200, "The stream's status.", "Stream")),
            entry("DELETE /api/v1/streams/{id}", named("deleteStream", "Delete a SIEM stream")
                    .empty(204, "Deleted.")),
            entry("POST /api/v1/streams/{id}/pause", named("pauseStream", "Pause a SIEM stream")
                    .answer(200, "The stream's status.", "Stream")),
            entry("POST /api/v1/streams/{id}/resume", named("resumeStream", "Resume a SIEM stream")
                    .description("Tries at once.")
                    .answer(200, "The stream's status.", "Stream")),
            entry("POST /api/v1/streams/{id}/replay", named("replayStream", "Send a stream's events again from a seq")
                    .description("`fromSeq` from 1 to the newest seq + 1 (422 otherwise; 400 when "
                            + "not a whole number).")
                    .requiredQuery("fromSeq", wholeNumber(1), "The first seq to send again.")
                    .answer(200, "The stream's status.", "Stream")
                    .refuses(422)),

            entry("POST /api/v1/keys", named("createApiKey", "Create an API key")
                    .description("The secret is shown this once; only its SHA-256 is kept.")
                    .body("ApiKeyInput")
                    .answer(201, "The key, with its secret `key`.", "CreatedApiKey")),
            entry("GET /api/v1/keys", named("listApiKeys", "List API keys")
                    .description("Never a secret.")
                    .answer(200, "The keys.", "ApiKeyList")),
            entry("DELETE /api/v1/keys/{id}", named("revokeApiKey", "Revoke an API key")
                    .description("Every later request with it answers 401, on every instance.")
                    .empty(204, "Revoked.")),

            entry("GET /api/openapi.json", named("getOpenApiDocument", "This document")
                    .description("No key needed.")
                    .answer(200, "The OpenAPI 3.1 document of this API.", "OpenApiDocument"))));

    private Operations() {
    }

    private static QueryParameter filter(String name, Map<String, Object> schema, String text) {
        return new QueryParameter(name, schema, text, false);
    }

    private static Map.Entry<String, Operation> entry(String key, Operation.Builder operation) {
        return Map.entry(key, operation.build());
    }

    private static Map<String, Operation> table(List<Map.Entry<String, Operation>> entries) {
        Map<String, Operation> table = new LinkedHashMap<>();
        List<String> repeated = new ArrayList<>();
        for (var entry : entries) {
            if (table.put(entry.getKey(), entry.getValue()) != null) {
                repeated.add(entry.getKey());
            }
        }
        if (!repeated.isEmpty()) {
            throw new IllegalStateException("operations described twice: " + repeated);
        }
        return Map.copyOf(table);
    }
}
