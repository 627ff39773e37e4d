package org.auditlog.database;

import java.util.Locale;

/**
 * The embedded PostgreSQL's binaries this jar carries: those of the platform that built it (Maven
 * profiles, pom.xml), among Linux x86-64 and arm64 and macOS x86-64 and arm64. Before the embedded
 * server starts, a platform the jar has no binaries for is refused with what to do instead, rather
 * than with the library's bare "missing binaries".
 */
public final class EmbeddedBinaries {
    static final String SHIPPED = "Linux x86-64, Linux arm64, macOS x86-64 and macOS arm64";

    private EmbeddedBinaries() {
    }

    /** Fails with a message naming {@code AUDIT_DB_URL} unless the binaries of this machine are on the class path. */
    static void requireForThisMachine() {
        require(EmbeddedBinaries.class.getClassLoader(), System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    /** The same for a given platform ({@code os.name}, {@code os.arch}), with the binaries {@code loader} holds. */
    static void require(ClassLoader loader, String osName, String osArch) {
        String resource = "postgres-" + system(osName) + "-" + architecture(osArch) + ".txz";
        if (loader.getResource(resource) == null) {
            throw new IllegalStateException("this build has no embedded PostgreSQL for " + osName + " on " + osArch
                    + " (it is built with the binaries of the platform that builds it, one of " + SHIPPED + "): set "
                    + "AUDIT_DB_URL to a PostgreSQL 14 or later (with AUDIT_DB_USER and AUDIT_DB_PASSWORD), "
                    + "or build the jar on this machine");
        }
    }

    /** The system part of the binaries' name, as the embedded PostgreSQL library names it. */
    static String system(String osName) {
        String name = osName.toLowerCase(Locale.ROOT);
        if (name.startsWith("linux")) {
            return "linux";
        }
        if (name.startsWith("mac") || name.startsWith("darwin")) {
            return "darwin";
        }
        return name.startsWith("windows") ? "windows" : name.replaceAll("[^a-z0-9]", "");
    }

    /** The architecture part, as the library normalizes {@code os.arch}. */
    static String architecture(String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        if (arch.matches("^(x8664|amd64|ia32e|em64t|x64|x86_64)$")) {
            return "x86_64";
        }
        if (arch.matches("^(aarch64|armv8|arm64).*$")) {
            return "arm_64";
        }
        return arch.replaceAll("[^a-z0-9_]", "");
    }
}
