package org.auditlog.common;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An enum's constants by the lower-case names the API uses for them. The names are lower-cased
 * with {@link Locale#ROOT}: under a Turkish default locale {@code "ADMIN".toLowerCase()} is
 * {@code "admın"}, and neither a role nor an outcome would be recognized.
 */
public final class WireNames<E extends Enum<E>> {
    private final Map<E, String> names;
    private final Map<String, E> constants = new HashMap<>();

    public WireNames(Class<E> type) {
        names = new EnumMap<>(type);
        for (E constant : type.getEnumConstants()) {
            String name = constant.name().toLowerCase(Locale.ROOT);
            names.put(constant, name);
            constants.put(name, constant);
        }
    }

    public String of(E constant) {
        return names.get(constant);
    }

    public Optional<E> find(String name) {
        return Optional.ofNullable(constants.get(name)); // a HashMap answers null for a null key
    }
}
