package org.auditlog.retention;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;
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

    /**
     * How long a run of every tenant (the scheduled job, the {@code retention-run} task) waits after
     * each full batch before the next: background work that leaves most of the machine to ingest. A
     * tenant's own run, which its caller waits for, does not wait. {@code 0s}: no pause.
     */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 1, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration batchPause = Duration.seconds(1);

    public Duration getBatchPause() {
        return batchPause;
    }

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
