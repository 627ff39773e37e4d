package org.auditlog.database;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * {@code database.readReplica}: a streaming replica of the primary that serves the service's reads
 * (queries, statistics, streamed exports, reports, the console's searches) while it keeps up; see
 * {@link ReadDatabase}.
 */
public class ReplicaConfiguration {
    @JsonProperty
    @NotBlank
    private String url;

    @JsonProperty
    @NotNull
    private String user = "";

    @JsonProperty
    @NotNull
    private String password = "";

    public String getUrl() {
        return url;
    }

    public String getUser() {
        return user;
    }

    public String getPassword() {
        return password;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public void setPassword(String password) {
        this.password = password;
    }
}
