package org.auditlog.integrity;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

public class IntegrityConfiguration {
    /** How often each tenant with new events gets a signed checkpoint. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration checkpointInterval = Duration.minutes(5);

    /** How often continuous verification checks the events added since it last looked. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration verificationInterval = Duration.minutes(5);

    /**
     * How often continuous verification walks each tenant's whole chain rather than only what was
     * added: what it verified before can since have been changed behind the service's back.
     */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration fullVerificationInterval = Duration.hours(24);

    /**
     * A PEM file with the Ed25519 PRIVATE KEY and PUBLIC KEY blocks. Empty: a key generated at first
     * start under {@code <dataDir>/keys/signing-key.pem}.
     */
    @NotNull
    @JsonProperty
    private String signingKeyFile = "";

    public Duration getCheckpointInterval() {
        return checkpointInterval;
    }

    public Duration getVerificationInterval() {
        return verificationInterval;
    }

    public Duration getFullVerificationInterval() {
        return fullVerificationInterval;
    }

    public String getSigningKeyFile() {
        return signingKeyFile;
    }
}
