package org.auditlog.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.auditlog.support.ServiceProcess;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.auditlog.support.WebhookReceiver;
import org.junit.jupiter.api.Test;

/**
 * The service as shipped ({@code outbound.allowPrivateNetworks: false}): a tenant admin cannot point
 * a webhook at the service's own admin port or anything else on the private network, neither when
 * creating the channel nor through a channel that reaches it later.
 */
class PrivateDestinationsIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String SECRET = "a-webhook-secret-of-some-length";

    private static HttpResponse<String> post(String url, String key, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TestApp.JSON.writeValueAsString(body)));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aWebhookCannotReachThePrivateNetworkWhenCreatedNorWhenSent() throws Exception {
        String key = TestApp.createKey(TestDatabase.get().migratedScratch("outbound"), "acme", "admin");
        String url = TestDatabase.get().url() + "_outbound";
        Path data = Files.createTempDirectory("outbound");
        try (var service = ServiceProcess.start("outbound", url, data, "outbound.allowPrivateNetworks=false",
                "alerts.deliveryInterval=1 second", "alerts.webhookTimeout=1 second", "alerts.maxAttempts=1");
             WebhookReceiver receiver = new WebhookReceiver()) {
            String channels = service.baseUrl() + "/api/v1/alerts/channels";
            int adminPort = URI.create(service.adminUrl()).getPort();
            String retention = ":" + adminPort + "/tasks/retention-run?dryRun=false";
            for (String host : List.of("127.0.0.1", "localhost", "0x7f000001", "2130706433", "0177.0.0.1",
                    "[::ffff:127.0.0.1]", "[::]", "0.0.0.0", "[::1]", "169.254.169.254", "10.0.0.1", "[fd00::1]")) {
                var refused = post(channels, key, Map.of("type", "webhook", "url", "http://" + host + retention, "secret", SECRET));
                assertThat(refused.statusCode()).as(host).isEqualTo(422);
                JsonNode problem = TestApp.JSON.readTree(refused.body()).get("details").get(0);
                assertThat(problem.get("field").asText()).isEqualTo("url");
                assertThat(problem.get("error").asText()).contains("private address");
            }
            // a name that does not resolve (yet) is accepted, and checked at every send
            assertThat(post(channels, key, Map.of("type", "webhook", "url", "https://hooks.invalid/x", "secret", SECRET))
                    .statusCode()).isEqualTo(201);

            // channels that reach the private network anyway (created before the guard, or since re-pointed by DNS)
            List<String> stored = new ArrayList<>();
            try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                 PreparedStatement insert = connection.prepareStatement("insert into alert_channels "
                         + "(id, tenant, type, url, secret, created_at, created_by) values (?, 'acme', 'webhook', ?, ?, now(), 'test')")) {
                for (String target : List.of(receiver.url(), "http://127.0.0.1" + retention)) {
                    UUID id = UUID.randomUUID();
                    insert.setObject(1, id);
                    insert.setString(2, target);
                    insert.setString(3, SECRET);
                    insert.executeUpdate();
                    stored.add(id.toString());
                }
            }
            assertThat(post(service.baseUrl() + "/api/v1/alerts/rules", key, Map.of("name", "brute force",
                    "filter", Map.of("action", "user.login", "outcome", "failure"), "window", "PT5M",
                    "threshold", Map.of("type", "count", "gt", 5), "channels", stored)).statusCode()).isEqualTo(201);
            var events = new ArrayList<Map<String, Object>>();
            for (int i = 0; i < 6; i++) {
                events.add(Map.of("action", "user.login", "actor", Map.of("id", "mallory"), "outcome", "failure"));
            }
            assertThat(post(service.baseUrl() + "/api/v1/events/batch", key, Map.of("events", events)).statusCode()).isEqualTo(201);
            assertThat(post(service.adminUrl() + "/tasks/evaluate-alerts", null, Map.of()).statusCode()).isEqualTo(200);

            TestApp.eventually("both sends are refused", () -> TestDatabase.count(url, "select count(*) from "
                    + "alert_delivery_attempts where not ok and error like '%private address%'") == 2);
            assertThat(TestDatabase.count(url, "select count(*) from alert_delivery_attempts where ok")).isZero();
            assertThat(TestDatabase.count(url, "select count(*) from alert_delivery_attempts where error like '%" + SECRET + "%'"))
                    .isZero();
            assertThat(receiver.received()).isEmpty();

            // SIEM streams go out through the same guard: refused when created, and when sent
            String streams = service.baseUrl() + "/api/v1/streams";
            for (String host : List.of("127.0.0.1", "0x7f000001", "[::1]", "169.254.169.254", "10.0.0.1")) {
                var refused = post(streams, key, Map.of("name", "siem", "type", "webhook", "format", "native",
                        "url", "http://" + host + retention, "secret", SECRET));
                assertThat(refused.statusCode()).as(host).isEqualTo(422);
                assertThat(refused.body()).contains("\"url\"").contains("private address");
            }
            // every other type: a HEC or Datadog URL, and a syslog host, which would carry raw bytes to any port
            for (Map<String, Object> other : List.<Map<String, Object>>of(
                    Map.of("type", "splunk-hec", "url", "https://127.0.0.1" + retention, "token", SECRET),
                    Map.of("type", "datadog", "url", "http://[::1]" + retention, "apiKey", SECRET),
                    Map.of("type", "syslog", "host", "127.0.0.1", "port", adminPort, "protocol", "tcp"),
                    Map.of("type", "syslog", "host", "localhost", "port", adminPort, "protocol", "tls"))) {
                var body = new java.util.HashMap<>(other);
                body.put("name", "siem");
                body.put("format", "cef");
                var refused = post(streams, key, body);
                assertThat(refused.statusCode()).as(other.toString()).isEqualTo(422);
                assertThat(refused.body()).as(other.toString()).contains(other.containsKey("host") ? "\"host\"" : "\"url\"")
                        .contains("private address").doesNotContain(SECRET);
            }
            try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                 PreparedStatement insert = connection.prepareStatement("insert into streams (id, tenant, name, type, "
                         + "format, filters, settings, secret, created_by, created_at, updated_at) values (?, 'acme', "
                         + "?, ?, 'native', '{}', cast(? as jsonb), ?, 'test', now(), now())")) {
                for (List<Object> row : List.of(
                        List.of("re-pointed", "webhook", Map.of("url", "http://127.0.0.1" + retention)),
                        List.of("re-pointed-hec", "splunk-hec", Map.of("url", "http://127.0.0.1" + retention)),
                        List.of("re-pointed-syslog", "syslog", Map.of("host", "127.0.0.1", "port", adminPort,
                                "protocol", "tcp")))) {
                    insert.setObject(1, UUID.randomUUID());
                    insert.setString(2, (String) row.get(0));
                    insert.setString(3, (String) row.get(1));
                    insert.setString(4, TestApp.JSON.writeValueAsString(row.get(2)));
                    insert.setString(5, row.get(1).equals("syslog") ? null : SECRET);
                    insert.executeUpdate();
                }
            }
            TestApp.eventually("every re-pointed stream's send is refused", () -> TestDatabase.count(url, "select count(*) "
                    + "from streams where name like 're-pointed%' and last_error like '%private address%'") == 3);
            assertThat(TestDatabase.count(url, "select count(*) from streams where name like 're-pointed%' "
                    + "and (last_error like '%" + SECRET + "%' or delivered_through_seq > 0)")).isZero();
            assertThat(TestDatabase.count(url, "select count(*) from audit_events where action = 'retention.run'")).isZero();
        } finally {
            TestDatabase.get().dropScratch("outbound");
        }
    }
}
