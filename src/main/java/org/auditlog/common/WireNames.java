package org.auditlog.common;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * An enum's constants by the names the API uses for them: by default their names lower-cased with
 * {@link Locale#ROOT} (under a Turkish default locale {@code "ADMIN".toLowerCase()} is
 * {@code "admın"}, and neither a role nor an outcome would be recognized), or names of their own.
 */
public final class WireNames<E extends Enum<E>> {
    private final Map<E, String> names;
    private final Map<String, E> constants = new HashMap<>();

    public WireNames(Class<E> type) {
        this(type, constant -> constant.name().toLowerCase(Locale.ROOT));
    }

    public WireNames(Class<E> type, Function<E, String> naming) {
        names = new EnumMap<>(type);
        for (E constant : type.getEnumConstants()) {
            String name = naming.apply(constant);
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
