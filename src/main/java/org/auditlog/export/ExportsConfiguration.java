package org.auditlog.export;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

public class ExportsConfiguration {
    /** How long a finished export file is kept. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration ttl = Duration.days(7);

    /** How often expired export files are deleted. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration cleanupInterval = Duration.hours(1);

    /** Where export files are written. Empty: {@code <dataDir>/exports}. Share it between instances. */
    @NotNull
    @JsonProperty
    private String directory = "";

    public java.time.Duration getTtl() {
        return ttl.toJavaDuration();
    }

    public java.time.Duration getCleanupInterval() {
        return cleanupInterval.toJavaDuration();
    }

    public String getDirectory() {
        return directory;
    }
}
