package org.auditlog.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.auditlog.access.Requester;
import org.auditlog.common.Timestamps;
import org.auditlog.event.Actor;

/**
 * A tenant's scheduled report as its API shows it: when it fires (a Quartz cron in UTC), the period it
 * covers, who receives it, and its last and next runs. {@code mailedReportId} is the last report whose
 * mail is settled (sent, or given up).
 */
@JsonPropertyOrder({"name", "cron", "period", "recipients", "title", "filters", "createdBy", "createdAt", "updatedAt",
        "lastRunAt", "lastReportId", "nextRunAt"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReportSchedule(
        @JsonIgnore String tenant,
        String name,
        String cron,
        String period,
        List<String> recipients,
        String title,
        @JsonRawValue String filters,
        String createdBy,
        @JsonIgnore Instant createdAtInstant,
        @JsonIgnore Instant updatedAtInstant,
        @JsonIgnore Instant lastRunAtInstant,
        UUID lastReportId,
        @JsonIgnore Instant nextRunAtInstant,
        @JsonIgnore UUID mailedReportId) {

    public ReportSchedule {
        recipients = List.copyOf(recipients);
    }

    @JsonProperty("createdAt")
    public String createdAt() {
        return Timestamps.format(createdAtInstant);
    }

    @JsonProperty("updatedAt")
    public String updatedAt() {
        return Timestamps.format(updatedAtInstant);
    }

    @JsonProperty("lastRunAt")
    public String lastRunAt() {
        return lastRunAtInstant == null ? null : Timestamps.format(lastRunAtInstant);
    }

    @JsonProperty("nextRunAt")
    public String nextRunAt() {
        return nextRunAtInstant == null ? null : Timestamps.format(nextRunAtInstant);
    }

    /** Whom the schedule's reports are made for: the schedule itself, as a service of the tenant. */
    Requester requester() {
        String id = "schedule:" + name;
        return new Requester(tenant, new Actor(id, "service", null, null), id);
    }
}
