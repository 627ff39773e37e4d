package org.auditlog.access;

import java.util.Optional;
import org.auditlog.common.WireNames;

/** What a key may do. {@code admin} includes everything {@code ingest} and {@code auditor} may. */
public enum Role {
    INGEST, AUDITOR, ADMIN;

    /** Names for {@code @RolesAllowed}. */
    public static final String INGEST_NAME = "ingest";
    public static final String AUDITOR_NAME = "auditor";
    public static final String ADMIN_NAME = "admin";

    private static final WireNames<Role> WIRE_NAMES = new WireNames<>(Role.class);

    public String wireName() {
        return WIRE_NAMES.of(this);
    }

    public static Optional<Role> fromWire(String text) {
        return WIRE_NAMES.find(text);
    }
}
