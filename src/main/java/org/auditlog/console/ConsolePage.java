package org.auditlog.console;

import io.dropwizard.views.common.View;
import java.nio.charset.StandardCharsets;

/**
 * A page of the console: its template, its title and the signed-in officer it is shown to (tenant,
 * key, whether admin pages are offered, the CSRF token its forms carry). Templates are FreeMarker's
 * {@code .ftlh}, which escape every value for HTML.
 */
public class ConsolePage extends View {
    private final Session session;
    private final String title;
    private final String section;

    protected ConsolePage(String template, Session session, String title, String section) {
        super(template, StandardCharsets.UTF_8);
        this.session = session;
        this.title = title;
        this.section = section;
    }

    public String getTitle() {
        return title;
    }

    /** Which part of the navigation is current: {@code search}, {@code retention}, {@code alerts}, {@code keys}. */
    public String getSection() {
        return section;
    }

    public boolean isSignedIn() {
        return session != null;
    }

    public String getTenant() {
        return session == null ? "" : session.caller().tenant();
    }

    public String getKeyName() {
        return session == null ? "" : session.caller().keyName();
    }

    public boolean isAdmin() {
        return session != null && session.admin();
    }

    public String getCsrf() {
        return session == null ? "" : session.csrfToken();
    }
}
