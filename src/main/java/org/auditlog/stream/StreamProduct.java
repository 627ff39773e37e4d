package org.auditlog.stream;

import static java.util.Objects.requireNonNull;

/**
 * The product a SIEM sees as the source of the events: OCSF's {@code metadata.product} and CEF's Device
 * Vendor, Device Product and Device Version.
 */
public record StreamProduct(String vendorName, String name, String version) {
    public static final String NAME = "audit-service";
    public static final String VENDOR = "auditlog";

    public StreamProduct {
        requireNonNull(vendorName, "vendorName is null");
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
    }

    /** This build of the service: its jar's version, or {@code development build} when run from classes. */
    public static StreamProduct service() {
        String version = StreamProduct.class.getPackage().getImplementationVersion();
        return new StreamProduct(VENDOR, NAME, version == null ? "development build" : version);
    }
}
