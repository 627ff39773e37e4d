package org.auditlog.support;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser's side of the console over plain HTTP: it keeps the cookies the console sets (by name, as
 * a browser would under {@code /console/}) and reads the CSRF token from the pages it gets.
 */
public final class ConsoleClient {
    private static final Pattern SET_COOKIE = Pattern.compile("^([^=]+)=([^;]*)");
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern FORM = Pattern.compile("name=\"form\" value=\"([^\"]+)\"");

    private final TestApp app;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private String csrf;

    public ConsoleClient(TestApp app) {
        this.app = app;
    }

    /** Opens the sign-in form and posts {@code key} with the form's token; answers the sign-in's reply. */
    public TestApp.Reply signIn(String key) {
        TestApp.Reply form = get("/console/sign-in");
        Matcher token = FORM.matcher(form.body());
        if (!token.find()) {
            throw new AssertionError("no form token on the sign-in page: " + form.body());
        }
        TestApp.Reply reply = postForm("/console/sign-in", Map.of("key", key, "form", token.group(1)));
        if (reply.status() == 303) {
            get("/console/"); // reads the CSRF token
        }
        return reply;
    }

    public TestApp.Reply get(String path) {
        TestApp.Reply reply = app.send(withCookies(app.request(path, null)).GET());
        keep(reply);
        return reply;
    }

    /** Posts a form with the session's CSRF token. */
    public TestApp.Reply post(String path, Map<String, String> fields) {
        Map<String, String> withToken = new LinkedHashMap<>(fields);
        if (csrf != null) {
            withToken.putIfAbsent("csrf", csrf);
        }
        return postForm(path, withToken);
    }

    /** Posts a form exactly as given: no CSRF token added. */
    public TestApp.Reply postForm(String path, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        TestApp.Reply reply = app.send(withCookies(app.request(path, null))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        keep(reply);
        return reply;
    }

    public HttpRequest.Builder withCookies(HttpRequest.Builder request) {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        return request;
    }

    public String cookie(String name) {
        return cookies.get(name);
    }

    public String csrf() {
        return csrf;
    }

    private void keep(TestApp.Reply reply) {
        for (String header : reply.headers().getOrDefault("set-cookie", List.of())) {
            Matcher m = SET_COOKIE.matcher(header);
            if (m.find()) {
                if (m.group(2).isEmpty()) {
                    cookies.remove(m.group(1));
                } else {
                    cookies.put(m.group(1), m.group(2));
                }
            }
        }
        Matcher token = CSRF.matcher(reply.body() == null ? "" : reply.body());
        if (token.find()) {
            csrf = token.group(1);
        }
    }
}
