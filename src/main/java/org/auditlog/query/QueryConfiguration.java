package org.auditlog.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

public class QueryConfiguration {
    /** Record every query, statistics request and event read in the tenant's own log (audit_access). */
    @JsonProperty
    private boolean recordQueries = true;

    /**
     * How long one statement of a client's read (events, statistics, verification, lists) may run;
     * past it the read answers 503. Streamed and background exports, retention and ingest are not bounded.
     */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.DAYS)
    @JsonProperty
    private Duration statementTimeout = Duration.seconds(30);

    public boolean isRecordQueries() {
        return recordQueries;
    }

    public java.time.Duration getStatementTimeout() {
        return statementTimeout.toJavaDuration();
    }
}
