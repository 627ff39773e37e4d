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
 */
public final class ConsoleHeadersFilter implements Filter {
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        var http = (HttpServletResponse) response;
        if (((HttpServletRequest) request).getRequestURI().equals("/console")) {
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
}
