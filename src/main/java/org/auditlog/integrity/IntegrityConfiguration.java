package org.auditlog.integrity;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;
import org.auditlog.outbound.OutboundGuard;

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

    /**
     * The folder every signed checkpoint is also written to, as files an auditor can check without
     * the service. Empty: {@code <dataDir>/checkpoints}.
     */
    @NotNull
    @JsonProperty
    private String publishDir = "";

    /** An http(s) URL every signed checkpoint is also POSTed to. Empty: none. */
    @NotNull
    @JsonProperty
    private String publishUrl = "";

    public java.time.Duration getCheckpointInterval() {
        return checkpointInterval.toJavaDuration();
    }

    public java.time.Duration getVerificationInterval() {
        return verificationInterval.toJavaDuration();
    }

    public java.time.Duration getFullVerificationInterval() {
        return fullVerificationInterval.toJavaDuration();
    }

    public String getSigningKeyFile() {
        return signingKeyFile;
    }

    public String getPublishDir() {
        return publishDir;
    }

    public String getPublishUrl() {
        return publishUrl;
    }

    @JsonIgnore
    @ValidationMethod(message = "integrity.publishUrl must be empty or an absolute http or https URL")
    public boolean isPublishUrlValid() {
        return publishUrl.isEmpty() || OutboundGuard.isHttpUrl(publishUrl);
    }
}
