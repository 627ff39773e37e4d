package org.auditlog.alerting;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.auditlog.outbound.SmtpConfiguration;

public class AlertsConfiguration {
    /** How often enabled rules are evaluated. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration evaluationInterval = Duration.minutes(1);

    /** How often due deliveries (first tries and retries) are sent. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration deliveryInterval = Duration.seconds(5);

    /** A webhook that has not answered within this is a failed attempt. */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration webhookTimeout = Duration.seconds(5);

    /** Attempts per delivery before it is given up as failed. */
    @Min(1)
    @Max(20)
    @JsonProperty
    private int maxAttempts = 5;

    /** Deliveries attempted at once on one instance, on a pool of their own. */
    @Min(1)
    @Max(256)
    @JsonProperty
    private int deliveryThreads = 8;

    /** Of those, at most this many for one tenant, so that one slow receiver holds up no other tenant. */
    @Min(1)
    @Max(256)
    @JsonProperty
    private int deliveriesPerTenant = 2;

    /** The wait before the second attempt; it doubles for each further one. */
    @NotNull
    @JsonProperty
    private Duration initialBackoff = Duration.seconds(2);

    /** The SMTP server of e-mail channels, and of scheduled reports. */
    @Valid
    @NotNull
    @JsonProperty
    private SmtpConfiguration smtp = new SmtpConfiguration();

    @Valid
    @NotNull
    @JsonProperty
    private Operational operational = new Operational();

    public java.time.Duration getEvaluationInterval() {
        return evaluationInterval.toJavaDuration();
    }

    public java.time.Duration getDeliveryInterval() {
        return deliveryInterval.toJavaDuration();
    }

    public java.time.Duration getWebhookTimeout() {
        return webhookTimeout.toJavaDuration();
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public int getDeliveryThreads() {
        return deliveryThreads;
    }

    public int getDeliveriesPerTenant() {
        return deliveriesPerTenant;
    }

    public java.time.Duration getInitialBackoff() {
        return initialBackoff.toJavaDuration();
    }

    public SmtpConfiguration getSmtp() {
        return smtp;
    }

    public Operational getOperational() {
        return operational;
    }

    /** The service's own thresholds, on its own metrics, sent to channels named here. */
    public static class Operational {
        @JsonProperty
        private boolean enabled = true;

        @NotNull
        @MinDuration(value = 1, unit = TimeUnit.SECONDS)
        @JsonProperty
        private Duration interval = Duration.seconds(30);

        @NotNull
        @JsonProperty
        private Duration cooldown = Duration.minutes(15);

        @Valid
        @NotNull
        @JsonProperty
        private List<ChannelSettings> channels = new ArrayList<>();

        public boolean isEnabled() {
            return enabled;
        }

        public java.time.Duration getInterval() {
        return interval.toJavaDuration();
        }

        public java.time.Duration getCooldown() {
        return cooldown.toJavaDuration();
        }

        public List<ChannelSettings> getChannels() {
            return channels;
        }
    }

    /** A channel named in the configuration: {@code type: webhook} with url and secret, or {@code type: email} with to. */
    public static class ChannelSettings {
        @NotEmpty
        @JsonProperty
        private String type = "webhook";

        @JsonProperty
        private String url = "";

        @JsonProperty
        private String secret = "";

        @JsonProperty
        private List<String> to = new ArrayList<>();

        public Channel toChannel() {
            return new Channel(java.util.UUID.nameUUIDFromBytes((type + url + to).getBytes(java.nio.charset.StandardCharsets.UTF_8)), "_service", type,
                    url.isEmpty() ? null : url, to.isEmpty() ? null : List.copyOf(to), java.time.Instant.EPOCH,
                    "configuration", secret.isEmpty() ? null : secret);
        }
    }
}
