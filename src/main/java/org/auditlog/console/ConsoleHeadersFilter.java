package org.auditlog.console;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The console's pages run no script but the console's own file and load nothing from elsewhere: a
 * strict Content-Security-Policy (no inline script or style), no framing, no sniffing, no referrer to
 * other sites, and nothing kept in caches, since the pages show audit records. The referrer policy is
 * {@code same-origin}, not {@code no-referrer}: under {@code no-referrer} a browser sends
 * {@code Origin: null} with the console's own forms, which the origin check must refuse.
 *
 * <p>A form posted to the console is at most {@link #MAX_FORM} bytes, with its length given: the
 * console's forms are small, and a form is read whole into memory, so a larger or unmeasured body
 * (even to the sign-in, before any key is known) is refused before a byte of it is read.
 */
public final class ConsoleHeadersFilter implements Filter {
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /** The largest form the console reads: 64 KiB. */
    static final long MAX_FORM = 64 * 1024;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        var http = (HttpServletResponse) response;
        var httpRequest = (HttpServletRequest) request;
        if (httpRequest.getMethod().equals("POST")) {
            long length = httpRequest.getContentLengthLong();
            if (length < 0) {
                refuse(http, HttpServletResponse.SC_LENGTH_REQUIRED, "A form needs its Content-Length.");
                return;
            }
            if (length > MAX_FORM) {
                refuse(http, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                        "A form may be at most " + MAX_FORM + " bytes.");
                return;
            }
        }
        if (httpRequest.getRequestURI().equals("/console")) {
            // the session's cookie is sent under /console/ only
            http.setStatus(HttpServletResponse.SC_SEE_OTHER);
            http.setHeader("Location", "/console/");
            return;
        }
        http.setHeader("Content-Security-Policy", POLICY);
        http.setHeader("X-Frame-Options", "DENY");
        http.setHeader("X-Content-Type-Options", "nosniff");
        http.setHeader("Referrer-Policy", "same-origin");
        http.setHeader("Cache-Control", "no-store");
        chain.doFilter(request, response);
    }

    private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setHeader("Connection", "close"); // the body that was not read is not waited for
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write(message);
    }
}
