package org.auditlog.retention;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import org.quartz.CronExpression;

public class RetentionConfiguration {
    /** When the retention job runs: a Quartz cron expression, in UTC. */
    @NotEmpty
    @JsonProperty
    private String schedule = "0 0 3 * * ?";

    /** The policy of categories a tenant set none for (the {@code *} policy), unless the tenant set {@code *}. */
    @Min(1)
    @JsonProperty
    private int defaultRetainDays = 365;

    /** Events deleted per transaction: bounded steps keep locks and WAL bursts short beside ingest. */
    @Min(1)
    @Max(100_000)
    @JsonProperty
    private int batchSize = 5000;

    public String getSchedule() {
        return schedule;
    }

    public int getDefaultRetainDays() {
        return defaultRetainDays;
    }

    public int getBatchSize() {
        return batchSize;
    }

    @JsonIgnore
    @ValidationMethod(message = "retention.schedule must be a Quartz cron expression, such as \"0 0 3 * * ?\"")
    public boolean isScheduleACronExpression() {
        return schedule != null && CronExpression.isValidExpression(schedule);
    }
}
