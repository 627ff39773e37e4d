package org.auditlog.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.auditlog.common.RequestIds;

/**
 * Gives every request an id: the client's {@code X-Request-Id} when it is a sane token, a new UUID
 * otherwise. The id is on the response, in the logging context of every line logged for the request,
 * and in the access log.
 */
public final class RequestIdFilter implements Filter {
    public static final String HEADER = RequestIds.HEADER;
    public static final String MDC_KEY = RequestIds.MDC_KEY;
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

    /** The id of a request that sent {@code sent} as its {@code X-Request-Id} (null: none). */
    static String idFor(String sent) {
        return sent != null && ACCEPTED.matcher(sent).matches() ? sent : UUID.randomUUID().toString();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String id = idFor(((HttpServletRequest) request).getHeader(HEADER));
        ((HttpServletResponse) response).setHeader(HEADER, id);
        request.setAttribute(MDC_KEY, id);
        try (var scope = RequestIds.within(id)) {
            chain.doFilter(request, response);
        }
    }
}
