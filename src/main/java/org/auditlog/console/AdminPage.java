package org.auditlog.console;

import java.util.List;
import java.util.Map;

/**
 * An admin page (retention, alerts, keys): what it lists, and after a refused change the API's
 * message naming the field, with the form filled in again as it was sent (never a secret).
 */
public abstract class AdminPage extends ConsolePage {
    private final String error;
    private final Map<String, List<String>> form;

    AdminPage(String template, Session session, String title, String section, String error,
              Map<String, List<String>> form) {
        super(template, session, title, section);
        this.error = error == null ? "" : error;
        this.form = form == null ? Map.of() : form;
    }

    public String getError() {
        return error;
    }

    /** What the refused form held in {@code name}; empty on a fresh page. */
    public String field(String name) {
        List<String> values = form.getOrDefault(name, List.of());
        return values.isEmpty() || values.get(0) == null ? "" : values.get(0);
    }

    /** Whether the refused form chose {@code value} in {@code name} (a checkbox or an option). */
    public boolean chosen(String name, String value) {
        return form.getOrDefault(name, List.of()).contains(value);
    }
}
