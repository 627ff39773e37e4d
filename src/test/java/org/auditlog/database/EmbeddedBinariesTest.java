package org.auditlog.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * The embedded binaries of the building platform are in the jar; on a platform without them the
 * service says to set AUDIT_DB_URL, before the embedded PostgreSQL library fails on its own terms.
 */
class EmbeddedBinariesTest {
    private static final ClassLoader BUILD = EmbeddedBinariesTest.class.getClassLoader();

    @Test
    void thisMachinesBinariesAreThere() {
        assertThatCode(EmbeddedBinaries::requireForThisMachine).doesNotThrowAnyException();
        assertThat(BUILD.getResource("postgres-" + EmbeddedBinaries.system(System.getProperty("os.name")) + "-"
                + EmbeddedBinaries.architecture(System.getProperty("os.arch")) + ".txz")).isNotNull();
    }

    @Test
    void platformsAreNamedAsTheLibraryNamesThem() {
        assertThat(EmbeddedBinaries.system("Linux")).isEqualTo("linux");
        assertThat(EmbeddedBinaries.system("Mac OS X")).isEqualTo("darwin");
        assertThat(EmbeddedBinaries.architecture("amd64")).isEqualTo("x86_64");
        assertThat(EmbeddedBinaries.architecture("x86_64")).isEqualTo("x86_64");
        assertThat(EmbeddedBinaries.architecture("aarch64")).isEqualTo("arm_64");
    }

    @Test
    void aPlatformWithoutBinariesIsToldToSetTheDatabaseUrl() {
        assertThatThrownBy(() -> EmbeddedBinaries.require(BUILD, "FreeBSD", "amd64"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("FreeBSD on amd64").hasMessageContaining("AUDIT_DB_URL")
                .hasMessageContaining(EmbeddedBinaries.SHIPPED);
        // a class path without any binaries: what a jar built elsewhere looks like on this machine
        try (var empty = new URLClassLoader(new URL[0], null)) {
            assertThatThrownBy(() -> EmbeddedBinaries.require(empty, System.getProperty("os.name"), System.getProperty("os.arch")))
                    .hasMessageContaining("AUDIT_DB_URL");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
