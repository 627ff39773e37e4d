package org.auditlog.admin;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The admin port's guard: when {@code token} is set ({@code AUDIT_ADMIN_TOKEN}), every request but
 * {@code /ping} and {@code /healthcheck} must carry it as {@code Authorization: Bearer <token>}.
 * Where the port listens is {@code server.adminConnectors[0].bindHost} ({@code AUDIT_ADMIN_HOST}).
 */
public class AdminConfiguration {
    @JsonProperty
    private String token = "";

    /** The token, or empty for none (an unset {@code AUDIT_ADMIN_TOKEN} reads as null). */
    public String getToken() {
        return token == null ? "" : token.trim();
    }
}
