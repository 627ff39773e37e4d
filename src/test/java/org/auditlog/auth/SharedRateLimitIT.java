package org.auditlog.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.auditlog.support.ServiceProcess;
import org.auditlog.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * Two instances on one database draw from the same buckets: a key's burst and a tenant's are spent
 * once across both, not once on each, and another tenant is not touched.
 */
class SharedRateLimitIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(String url, String key) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aKeysAndATenantsBurstsAreSpentOnceAcrossInstances() throws Exception {
        String url = TestDatabase.get().scratch("sharedlimit");
        Path data = Files.createTempDirectory("sharedlimit");
        String first = ServiceProcess.command(url, data, "create-key", "config.yml", "--tenant", "acme", "--role", "admin");
        String second = ServiceProcess.command(url, data, "create-key", "config.yml", "--tenant", "acme", "--role", "admin");
        String other = ServiceProcess.command(url, data, "create-key", "config.yml", "--tenant", "globex", "--role", "admin");
        String[] limits = {"rateLimit.requestsPerSecond=1", "rateLimit.burst=4", "rateLimit.tenantRequestsPerSecond=1",
                "rateLimit.tenantBurst=6", "scheduling.enabled=false"};
        try (var a = ServiceProcess.start("sharedlimit-a", url, Files.createTempDirectory("sharedlimit-a"), limits);
             var b = ServiceProcess.start("sharedlimit-b", url, Files.createTempDirectory("sharedlimit-b"), limits)) {
            int ok = 0;
            for (int i = 0; i < 10; i++) {
                int status = get((i % 2 == 0 ? a : b).baseUrl() + "/api/v1/keys", first).statusCode();
                assertThat(status).isIn(200, 429);
                ok += status == 200 ? 1 : 0;
            }
            assertThat(ok).as("the key's burst of 4 across both instances (plus what refilled meanwhile), not 4 on each")
                    .isBetween(4, 6);

            // the tenant's burst of 6 is nearly spent by the first key: the second key meets the tenant's limit
            HttpResponse<String> refused = null;
            int secondOk = 0;
            for (int i = 0; i < 8 && refused == null; i++) {
                var reply = get((i % 2 == 0 ? b : a).baseUrl() + "/api/v1/keys", second);
                if (reply.statusCode() == 429) {
                    refused = reply;
                } else {
                    secondOk++;
                }
            }
            assertThat(refused).as("the tenant's limit").isNotNull();
            assertThat(refused.body()).contains("rate limit of this tenant");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(secondOk).isLessThan(4);

            assertThat(get(a.baseUrl() + "/api/v1/keys", other).statusCode()).isEqualTo(200);
            assertThat(get(b.baseUrl() + "/api/v1/keys", other).statusCode()).isEqualTo(200);
        } finally {
            TestDatabase.get().dropScratch("sharedlimit");
        }
    }
}
