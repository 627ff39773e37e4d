package org.auditlog.auth;

import java.util.Arrays;
import java.util.Optional;

/** What a key may do. {@code admin} includes everything {@code ingest} and {@code auditor} may. */
public enum Role {
    INGEST, AUDITOR, ADMIN;

    /** Names for {@code @RolesAllowed}. */
    public static final String INGEST_NAME = "ingest";
    public static final String AUDITOR_NAME = "auditor";
    public static final String ADMIN_NAME = "admin";

    public String wireName() {
        return name().toLowerCase();
    }

    public static Optional<Role> fromWire(String text) {
        return Arrays.stream(values()).filter(r -> r.wireName().equals(text)).findFirst();
    }
}
