package org.auditlog.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Locale;
import java.util.Optional;
import org.auditlog.access.Role;
import org.auditlog.event.Outcome;
import org.junit.jupiter.api.Test;

/** Roles and outcomes keep their API names whatever the JVM's default locale. */
class WireNamesTest {
    @Test
    void namesAndFindsEveryConstant() {
        assertThat(Outcome.FAILURE.wireName()).isEqualTo("failure");
        assertThat(Outcome.fromWire("denied")).contains(Outcome.DENIED);
        assertThat(Outcome.fromWire("DENIED")).isEmpty();
        assertThat(Outcome.fromWire(null)).isEmpty();
        assertThat(Role.fromWire("admin")).contains(Role.ADMIN);
        assertThat(Role.fromWire("owner")).isEmpty();
    }

    /**
     * Under a Turkish locale, lower-casing an I gives a dotless ı. The enums are loaded afresh, in a
     * class loader of their own, so that whatever they work out when initialized is worked out
     * under that locale.
     */
    @Test
    void holdUnderATurkishDefaultLocale() throws Exception {
        Locale before = Locale.getDefault();
        URL classes = Outcome.class.getProtectionDomain().getCodeSource().getLocation();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        try (URLClassLoader fresh = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            assertThat("ADMIN".toLowerCase()).isEqualTo("admın"); // the locale does what this test is about
            for (String type : new String[] {"org.auditlog.event.Outcome", "org.auditlog.access.Role"}) {
                Class<?> loaded = Class.forName(type, true, fresh);
                assertThat(loaded).isNotSameAs(Class.forName(type));
                Method wireName = loaded.getMethod("wireName");
                Method fromWire = loaded.getMethod("fromWire", String.class);
                for (Object constant : loaded.getEnumConstants()) {
                    String name = (String) wireName.invoke(constant);
                    assertThat(name).isEqualTo(((Enum<?>) constant).name().toLowerCase(Locale.ROOT));
                    assertThat(((Optional<?>) fromWire.invoke(null, name)).orElseThrow()).isSameAs(constant);
                }
            }
        } finally {
            Locale.setDefault(before);
        }
    }
}
