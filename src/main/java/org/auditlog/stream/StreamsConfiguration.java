package org.auditlog.stream;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

/** How SIEM streams are delivered (docs/operations.md). */
public class StreamsConfiguration {
    /** How often each instance looks for destinations with events to send. */
    @NotNull
    @MinDuration(value = 50, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration pollInterval = Duration.milliseconds(500);

    /** Events read and sent at most in one batch. */
    @Min(1)
    @Max(10_000)
    @JsonProperty
    private int batchSize = 500;

    /** Destinations sent to at once on one instance, on a pool of their own. */
    @Min(1)
    @Max(256)
    @JsonProperty
    private int threads = 8;

    /** A destination that has not answered a batch within this failed the attempt. */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration timeout = Duration.seconds(10);

    /** How long an instance holds a destination it took; longer than {@code timeout}. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration lease = Duration.seconds(60);

    /** The wait after a first failure; it doubles with each further one (with jitter), up to {@code maxBackoff}. */
    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration initialBackoff = Duration.seconds(1);

    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration maxBackoff = Duration.minutes(5);

    /** A destination failing without a success for this long pauses itself and raises an operational alert. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration pauseAfter = Duration.hours(24);

    /** The {@code streams} health check names destinations whose oldest undelivered event is older than this. */
    @NotNull
    @JsonProperty
    private Duration lagWarning = Duration.minutes(5);

    public java.time.Duration getPollInterval() {
        return pollInterval.toJavaDuration();
    }

    public int getBatchSize() {
        return batchSize;
    }

    public int getThreads() {
        return threads;
    }

    public java.time.Duration getTimeout() {
        return timeout.toJavaDuration();
    }

    public java.time.Duration getLease() {
        return lease.toJavaDuration().compareTo(getTimeout().multipliedBy(2)) < 0 ? getTimeout().multipliedBy(2)
                : lease.toJavaDuration();
    }

    public java.time.Duration getInitialBackoff() {
        return initialBackoff.toJavaDuration();
    }

    public java.time.Duration getMaxBackoff() {
        return maxBackoff.toJavaDuration();
    }

    public java.time.Duration getPauseAfter() {
        return pauseAfter.toJavaDuration();
    }

    public java.time.Duration getLagWarning() {
        return lagWarning.toJavaDuration();
    }
}
