package org.auditlog.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import org.auditlog.support.ServiceProcess;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin port as an outsider finds it: listening on loopback only, and with a token set, closed
 * to every request without it but the two probes. Failed API authentications from one address are
 * throttled, and a forwarded address counts only through a trusted proxy.
 */
class AdminPortIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String TOKEN = "admin-token-" + java.util.UUID.randomUUID();
    private static ServiceProcess service;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        String url = TestDatabase.get().scratch("adminport");
        Path data = Files.createTempDirectory("adminport");
        key = ServiceProcess.command(url, data, "create-key", "config.yml", "--tenant", "acme", "--role", "admin");
        service = ServiceProcess.start("adminport", url, data, "adminPort.token=" + TOKEN, "auth.failedPerMinute=5",
                "auth.trustedProxies=127.0.0.1");
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        TestDatabase.get().dropScratch("adminport");
    }

    private static HttpResponse<String> call(String method, String url, String authorization) throws Exception {
        return call(method, url, authorization, null);
    }

    private static HttpResponse<String> call(String method, String url, String authorization, String forwardedFor)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theAdminPortListensOnLoopbackOnly() throws Exception {
        assertThat(service.log()).containsPattern("Started admin@[^\\n]*\\{127\\.0\\.0\\.1:" + port(service.adminUrl()) + "}");
        Optional<InetAddress> outside = nonLoopbackAddress();
        if (outside.isPresent()) {
            assertThatThrownBy(() -> connect(outside.get(), port(service.adminUrl()))).isInstanceOf(IOException.class);
            connect(outside.get(), port(service.baseUrl()));
        }
    }

    @Test
    void withATokenEveryAdminRequestButTheProbesNeedsIt() throws Exception {
        assertThat(call("GET", service.adminUrl() + "/ping", null).statusCode()).isEqualTo(200);
        assertThat(call("GET", service.adminUrl() + "/healthcheck", null).statusCode()).isIn(200, 500);
        for (String refused : new String[] {"/metrics", "/metrics/prometheus", "/threads", "/tasks/log-level",
                "/tasks/retention-run?dryRun=false", "/tasks/gc", "/healthcheck/../tasks/gc", "/ping/../metrics", "//metrics"}) {
            String method = refused.contains("tasks") ? "POST" : "GET";
            var reply = call(method, service.adminUrl() + refused, null);
            assertThat(reply.statusCode()).as(refused).isIn(400, 401);
            var wrong = call(method, service.adminUrl() + refused, "Bearer not-" + TOKEN);
            assertThat(wrong.statusCode()).as(refused).isIn(400, 401);
            assertThat(wrong.body()).doesNotContain(TOKEN);
        }
        var metrics = call("GET", service.adminUrl() + "/metrics/prometheus", "Bearer " + TOKEN);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_");
        assertThat(call("POST", service.adminUrl() + "/tasks/retention-run?dryRun=true", "Bearer " + TOKEN).statusCode())
                .isEqualTo(200);
        assertThat(service.log()).doesNotContain(TOKEN);
    }

    @Test
    void anAddressThatKeepsFailingIsThrottledAndOthersAreNot() throws Exception {
        String from = "198.51.100.17";
        int unauthorized = 0;
        HttpResponse<String> throttled = null;
        for (int i = 0; i < 8; i++) {
            var reply = call("GET", service.baseUrl() + "/api/v1/keys", "Bearer ak_wrong" + i, from);
            if (reply.statusCode() == 401) {
                unauthorized++;
            } else if (reply.statusCode() == 429) {
                throttled = reply;
                break;
            }
        }
        assertThat(unauthorized).isBetween(5, 6);
        assertThat(throttled).isNotNull();
        assertThat(Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(TestApp.JSON.readTree(throttled.body()).get("code").asInt()).isEqualTo(429);
        // the same address is refused even with a good key until it may try again
        assertThat(call("GET", service.baseUrl() + "/api/v1/keys", "Bearer " + key, from).statusCode()).isEqualTo(429);
        // another client behind the same trusted proxy is not
        assertThat(call("GET", service.baseUrl() + "/api/v1/keys", "Bearer " + key, "198.51.100.18").statusCode())
                .isEqualTo(200);
        // a client cannot pick its own address by writing it further left than the proxy's entry
        assertThat(call("GET", service.baseUrl() + "/api/v1/keys", "Bearer " + key, "203.0.113.9, " + from).statusCode())
                .isEqualTo(429);
    }

    @Test
    void theConsolesSignInSharesTheApisThrottleAndIsSecureBehindATlsProxy() throws Exception {
        String from = "198.51.100.40";
        for (int i = 0; i < 5; i++) {
            call("GET", service.baseUrl() + "/api/v1/keys", "Bearer ak_wrong" + i, from);
        }
        var throttled = signIn(key, from, null);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        assertThat(throttled.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("audit_session="));
        var signedIn = signIn(key, "198.51.100.41", "https");
        assertThat(signedIn.statusCode()).isEqualTo(303);
        assertThat(signedIn.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("audit_session=")
                && c.contains("Secure") && c.contains("HttpOnly") && c.contains("SameSite=Strict"));
    }

    /** The console's sign-in from {@code forwardedFor} behind the trusted proxy, with its form's token. */
    private static HttpResponse<String> signIn(String key, String forwardedFor, String forwardedProto) throws Exception {
        var form = HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/console/sign-in"))
                .header("X-Forwarded-For", forwardedFor).GET().build(), HttpResponse.BodyHandlers.ofString());
        var token = java.util.regex.Pattern.compile("name=\"form\" value=\"([^\"]+)\"").matcher(form.body());
        assertThat(token.find()).isTrue();
        var post = HttpRequest.newBuilder(URI.create(service.baseUrl() + "/console/sign-in"))
                .header("X-Forwarded-For", forwardedFor)
                .header("Cookie", "audit_sign_in=" + token.group(1))
                .header("Content-Type", "application/x-www-form-urlencoded");
        if (forwardedProto != null) {
            post.header("X-Forwarded-Proto", forwardedProto);
        }
        return HTTP.send(post.POST(HttpRequest.BodyPublishers.ofString("form=" + token.group(1) + "&key="
                + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aKeyInTheQueryStringIsNotAKey() throws Exception {
        var reply = call("GET", service.baseUrl() + "/api/v1/retention/policies?access_token=" + key, null, "198.51.100.30");
        assertThat(reply.statusCode()).isEqualTo(401);
        assertThat(reply.body()).doesNotContain("retainDays");
        assertThat(call("GET", service.baseUrl() + "/api/v1/retention/policies", "Bearer " + key, "198.51.100.30")
                .statusCode()).isEqualTo(200);
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
        }
    }

    private static int port(String url) {
        return URI.create(url).getPort();
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (network.isUp() && !network.isLoopback()) {
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return Optional.of(address);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
