package org.auditlog.admin;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import org.auditlog.common.Digests;

/**
 * Lets through the admin port only requests that carry its token, but for the two probes a load
 * balancer or an orchestrator must reach without one. The comparison takes the same time whatever
 * the guess, and the token is never written anywhere.
 */
final class AdminTokenFilter implements Filter {
    private static final Set<String> OPEN = Set.of("/ping", "/healthcheck");
    private final byte[] expected;

    AdminTokenFilter(String token) {
        this.expected = Digests.sha256("Bearer " + token);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        String path = http.getServletPath() + (http.getPathInfo() == null ? "" : http.getPathInfo());
        String authorization = http.getHeader("Authorization");
        if (OPEN.contains(path) || (authorization != null && MessageDigest.isEqual(expected, Digests.sha256(authorization)))) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletResponse refused = (HttpServletResponse) response;
        refused.setStatus(401);
        refused.setHeader("WWW-Authenticate", "Bearer realm=\"audit-admin\"");
        refused.setContentType("application/json");
        refused.getOutputStream().write(
                "{\"code\":401,\"message\":\"the admin port needs its token: Authorization: Bearer <AUDIT_ADMIN_TOKEN>\"}"
                        .getBytes(StandardCharsets.UTF_8));
    }

}
