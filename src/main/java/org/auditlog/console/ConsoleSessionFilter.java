package org.auditlog.console;

import jakarta.annotation.Priority;
import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.Form;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.util.Set;
import org.glassfish.jersey.server.ContainerRequest;

/**
 * Lets a console request through only with a live session: its cookie (sent by the browser under
 * {@code /console/} only) names a session the database still holds. A request that changes something
 * must also carry the session's CSRF token, as the form field {@code csrf} or the header
 * {@code X-CSRF-Token}, and come from this origin if the browser says where it came from. Without a
 * session, a page answers with the way to the sign-in form.
 */
@ConsoleSessionFilter.SignedIn
@Priority(Priorities.AUTHENTICATION)
final class ConsoleSessionFilter implements ContainerRequestFilter {
    /** Marks console resources that need a signed-in session. */
    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @interface SignedIn {
    }

    static final String COOKIE = "audit_session";
    static final String CSRF_FIELD = "csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String SESSION = ConsoleSessionFilter.class.getName() + ".session";
    private static final Set<String> SAFE = Set.of("GET", "HEAD");

    private final ConsoleSessions sessions;

    ConsoleSessionFilter(ConsoleSessions sessions) {
        this.sessions = sessions;
    }

    /** The session the filter let through. */
    static Session session(ContainerRequestContext request) {
        return (Session) request.getProperty(SESSION);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Cookie cookie = request.getCookies().get(COOKIE);
        var session = sessions.find(cookie == null ? null : cookie.getValue());
        if (session.isEmpty()) {
            request.abortWith(SAFE.contains(request.getMethod())
                    ? Response.seeOther(URI.create("/console/sign-in")).build()
                    : refused(401, "Your session has ended. Sign in again."));
            return;
        }
        if (!SAFE.contains(request.getMethod())) {
            if (!sameOrigin(request)) {
                request.abortWith(refused(403, "This request came from another site and was refused."));
                return;
            }
            String token = request.getHeaderString(CSRF_HEADER);
            if (token == null) {
                token = formField(request, CSRF_FIELD);
            }
            if (!ConsoleSessions.csrfMatches(session.get(), token)) {
                request.abortWith(refused(403, "The form's security token is missing or wrong. Reload the page and try again."));
                return;
            }
        }
        request.setProperty(SESSION, session.get());
    }

    /** A browser names the page a request came from in {@code Origin}; when it does, it must be this host. */
    static boolean sameOrigin(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (origin == null || origin.isEmpty()) {
            return true;
        }
        String host = request.getHeaderString(HttpHeaders.HOST);
        try {
            URI uri = URI.create(origin);
            String authority = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return host != null && host.equalsIgnoreCase(authority);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A field of a posted form, read so that the resource can read the form again. */
    static String formField(ContainerRequestContext request, String name) {
        if (!MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(request.getMediaType())) {
            return null;
        }
        ContainerRequest container = (ContainerRequest) request;
        container.bufferEntity();
        Form form = container.readEntity(Form.class);
        var values = form.asMap().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    static Response refused(int status, String message) {
        return Response.status(status).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(message).build();
    }
}
