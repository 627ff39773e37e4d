package org.auditlog.outbound;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/** The SMTP server the service sends e-mail through ({@code alerts.smtp}): alert channels and scheduled reports. */
public class SmtpConfiguration {
    @NotEmpty
    @JsonProperty
    private String host = "localhost";

    @Min(1)
    @Max(65535)
    @JsonProperty
    private int port = 25;

    @NotEmpty
    @JsonProperty
    private String from = "audit-service@localhost";

    @NotNull
    @JsonProperty
    private String username = "";

    @NotNull
    @JsonProperty
    private String password = "";

    @JsonProperty
    private boolean startTls = false;

    @NotNull
    @JsonProperty
    private Duration timeout = Duration.seconds(10);

    public String getHost() {
        return host;
    }

    public int getPort() {
        return port;
    }

    public String getFrom() {
        return from;
    }

    public String getUsername() {
        return username;
    }

    public String getPassword() {
        return password;
    }

    public boolean isStartTls() {
        return startTls;
    }

    public java.time.Duration getTimeout() {
        return timeout.toJavaDuration();
    }
}
