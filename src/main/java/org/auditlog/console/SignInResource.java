package org.auditlog.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.auditlog.access.Role;
import org.auditlog.auth.KeyCheck;

/**
 * Sign-in and sign-out. The key is typed once into the form's password field and posted; it is
 * exchanged for a session and kept nowhere in the browser: the session's cookie is {@code HttpOnly},
 * {@code SameSite=Strict}, {@code Secure} behind TLS, and sent under {@code /console/} only. The form
 * carries a token that must match a cookie set with it, so no other site can sign a browser in.
 * Failed keys count against the address like the API's, and so are throttled alike.
 */
@Path("/console/sign-in")
@Produces(MediaType.TEXT_HTML)
public final class SignInResource {
    static final String FORM_COOKIE = "audit_sign_in";
    private static final String COOKIE_PATH = "/console/";

    private final ConsoleSessions sessions;
    private final KeyCheck keys;

    SignInResource(ConsoleSessions sessions, KeyCheck keys) {
        this.sessions = sessions;
        this.keys = keys;
    }

    @GET
    public Response form(@Context HttpServletRequest servletRequest) {
        return form(200, null, servletRequest);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@FormParam("key") String key, @FormParam("form") String formToken,
                           @Context HttpHeaders headers, @Context ContainerRequestContext request,
                           @Context HttpServletRequest servletRequest) {
        Cookie expected = headers.getCookies().get(FORM_COOKIE);
        if (!ConsoleSessionFilter.sameOrigin(request) || expected == null
                || !ConsoleSessions.sameToken(expected.getValue(), formToken)) {
            return form(403, "The sign-in form expired or came from another site. Try again.", servletRequest);
        }
        String client = client(servletRequest, keys);
        KeyCheck.Result checked = keys.check(key == null ? null : key.strip(), client);
        if (checked.throttled()) {
            return Response.fromResponse(form(429, "Too many failed sign-ins from this address. Try again in "
                            + checked.retryAfterSeconds().getAsLong() + " s.", servletRequest))
                    .header("Retry-After", checked.retryAfterSeconds().getAsLong()).build();
        }
        if (checked.caller().isEmpty()) {
            return form(401, "That key is not valid, or it was revoked.", servletRequest);
        }
        if (!checked.caller().get().may(Role.AUDITOR)) {
            return form(403, "The console needs a key with the auditor or admin role.", servletRequest);
        }
        var opened = sessions.open(checked.caller().get(), client);
        long maxAge = sessions.absoluteTimeout().toSeconds();
        boolean secure = secure(servletRequest, keys);
        return Response.seeOther(URI.create("/console/"))
                .header(HttpHeaders.SET_COOKIE, cookie(ConsoleSessionFilter.COOKIE, opened.token(), maxAge, secure))
                .header(HttpHeaders.SET_COOKIE, cookie(FORM_COOKIE, "", 0, secure))
                .build();
    }

    private Response form(int status, String message, HttpServletRequest servletRequest) {
        String token = ConsoleSessions.randomToken();
        return Response.status(status).entity(new SignInPage(token, message))
                .header(HttpHeaders.SET_COOKIE, cookie(FORM_COOKIE, token, 3600, secure(servletRequest, keys)))
                .build();
    }

    /** A cookie for the console's pages only, out of reach of scripts and of other sites' requests. */
    static String cookie(String name, String value, long maxAge, boolean secure) {
        return name + "=" + value + "; Path=" + COOKIE_PATH + "; Max-Age=" + maxAge + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    /** Behind TLS: the connection is, or a trusted proxy says the browser's was. */
    static boolean secure(HttpServletRequest request, KeyCheck keys) {
        if (request.isSecure()) {
            return true;
        }
        return "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto")) && keys.trustedProxy(request.getRemoteAddr());
    }

    /** The client a request came from, as the API's throttle and records see it. */
    static String client(HttpServletRequest request, KeyCheck keys) {
        return keys.clientOf(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"));
    }
}
