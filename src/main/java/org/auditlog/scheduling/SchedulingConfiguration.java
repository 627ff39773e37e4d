package org.auditlog.scheduling;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

public class SchedulingConfiguration {
    /** Threads that run jobs; each holds a database connection while its job runs. */
    @Min(1)
    @Max(32)
    @JsonProperty
    private int threadCount = 4;

    /** How often an instance tells the cluster it is alive; a silent instance's jobs are taken over. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration clusterCheckinInterval = Duration.seconds(5);

    /** How long a stopping instance lets running jobs finish. */
    @NotNull
    @JsonProperty
    private Duration shutdownGrace = Duration.seconds(20);

    /** Off: no job runs on this instance (tasks still do). */
    @JsonProperty
    private boolean enabled = true;

    public int getThreadCount() {
        return threadCount;
    }

    public java.time.Duration getClusterCheckinInterval() {
        return clusterCheckinInterval.toJavaDuration();
    }

    public java.time.Duration getShutdownGrace() {
        return shutdownGrace.toJavaDuration();
    }

    public boolean isEnabled() {
        return enabled;
    }
}
