package org.auditlog.console;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

public class ConsoleConfiguration {
    /** A session nobody used for this long ends. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration idleTimeout = Duration.minutes(15);

    /** A session ends this long after its sign-in, used or not. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration absoluteTimeout = Duration.hours(8);

    public java.time.Duration getIdleTimeout() {
        return idleTimeout.toJavaDuration();
    }

    public java.time.Duration getAbsoluteTimeout() {
        return absoluteTimeout.toJavaDuration();
    }
}
