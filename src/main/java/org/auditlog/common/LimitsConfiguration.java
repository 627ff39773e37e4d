package org.auditlog.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Per-tenant caps, so that one tenant cannot starve the others: past a cap on concurrent work the
 * API answers 429, past a cap on stored definitions 422.
 */
public class LimitsConfiguration {
    /** Background exports of one tenant that may wait or run at once (across the deployment). */
    @Min(1)
    @Max(10_000)
    @JsonProperty
    private int queuedExports = 5;

    /** Streamed exports of one tenant running at once on one instance. */
    @Min(1)
    @Max(10_000)
    @JsonProperty
    private int concurrentStreamedExports = 2;

    /** Verifications of a tenant's whole chain (no {@code fromSeq}/{@code toSeq}) at once on one instance. */
    @Min(1)
    @Max(10_000)
    @JsonProperty
    private int concurrentVerifications = 1;

    /** Alert rules a tenant may keep. */
    @Min(1)
    @Max(100_000)
    @JsonProperty
    private int alertRules = 100;

    /** Alert channels a tenant may keep. */
    @Min(1)
    @Max(100_000)
    @JsonProperty
    private int alertChannels = 20;

    /** Report schedules a tenant may keep. */
    @Min(1)
    @Max(10_000)
    @JsonProperty
    private int reportSchedules = 20;

    /** SIEM streams a tenant may keep. */
    @Min(1)
    @Max(1_000)
    @JsonProperty
    private int streams = 10;

    public int getQueuedExports() {
        return queuedExports;
    }

    public int getConcurrentStreamedExports() {
        return concurrentStreamedExports;
    }

    public int getConcurrentVerifications() {
        return concurrentVerifications;
    }

    public int getAlertRules() {
        return alertRules;
    }

    public int getAlertChannels() {
        return alertChannels;
    }

    public int getReportSchedules() {
        return reportSchedules;
    }

    public int getStreams() {
        return streams;
    }
}
