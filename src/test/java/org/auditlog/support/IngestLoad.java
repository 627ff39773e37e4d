package org.auditlog.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Clients that ingest into the service as a careful client does: every event carries an idempotency
 * key, and a request that got no 2xx (an error status or no answer) is sent again with the same keys
 * until it is acknowledged. Counts what was sent and what came back, and checks what was stored.
 */
public final class IngestLoad {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int BATCH_SIZE = 5;

    /**
     * What the clients sent and saw: {@code statuses} counts the answers by status, {@code noAnswer}
     * the requests that got none by what the client reported instead.
     */
    public record Counts(int requestsSent, int resent, int acknowledged, Map<Integer, Integer> statuses,
                         Map<String, Integer> noAnswer) {
        public int unanswered() {
            return noAnswer.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** What the database holds of the load: every event, the acknowledged ones, and keys stored more than once. */
    public record Stored(long stored, long acknowledgedStored, long duplicates) {
    }

    private final String action;
    private final String key;
    private final Supplier<String> baseUrl;
    private final int batchEvery;
    private final AtomicBoolean ingesting = new AtomicBoolean(true);
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger resent = new AtomicInteger();
    private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> noAnswer = new ConcurrentHashMap<>();
    private final AtomicLong lastAcknowledged = new AtomicLong();
    private final ExecutorService clients;
    private final List<Future<?>> workers = new ArrayList<>();

    private IngestLoad(int clients, String action, String key, Supplier<String> baseUrl, int batchEvery) {
        this.action = action;
        this.key = key;
        this.baseUrl = baseUrl;
        this.batchEvery = batchEvery;
        this.clients = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            int client = c;
            workers.add(this.clients.submit(() -> {
                run(client);
                return null;
            }));
        }
    }

    /**
     * Starts {@code clients} clients ingesting events of {@code action} with {@code key} into the
     * service {@code baseUrl} answers (asked before each request, so it may change under way). Every
     * {@code batchEvery}-th request of a client is a batch of five events; 0 sends single events only.
     */
    public static IngestLoad start(int clients, String action, String key, Supplier<String> baseUrl, int batchEvery) {
        return new IngestLoad(clients, action, key, baseUrl, batchEvery);
    }

    private void run(int client) throws InterruptedException {
        int n = 0;
        while (ingesting.get()) {
            String request = "c" + client + "-" + n;
            boolean batch = batchEvery > 0 && n % batchEvery == batchEvery - 1;
            n++;
            List<String> keys = new ArrayList<>();
            if (batch) {
                for (int i = 0; i < BATCH_SIZE; i++) {
                    keys.add(request + "-" + i);
                }
            } else {
                keys.add(request);
            }
            String path = batch ? "/api/v1/events/batch" : "/api/v1/events";
            String body = batch
                    ? "{\"events\": [" + String.join(", ", keys.stream().map(k -> event(client, k)).toList()) + "]}"
                    : event(client, request);
            boolean done = false;
            while (!done && ingesting.get()) {
                sent.incrementAndGet();
                try {
                    var reply = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl.get() + path))
                            .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + key)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(), HttpResponse.BodyHandlers.discarding());
                    statuses.computeIfAbsent(reply.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                    if (reply.statusCode() == 201 || reply.statusCode() == 200) {
                        acknowledged.addAll(keys);
                        lastAcknowledged.set(System.nanoTime());
                        done = true;
                    }
                } catch (IOException e) {
                    // no answer (the service or its connection went away): send again with the same keys
                    noAnswer.computeIfAbsent(e.toString(), reason -> new AtomicInteger()).incrementAndGet();
                }
                if (!done) {
                    resent.incrementAndGet();
                    Thread.sleep(100);
                }
            }
        }
    }

    private String event(int client, String idempotencyKey) {
        return "{\"action\": \"" + action + "\", \"actor\": {\"id\": \"c" + client + "\"}, \"idempotencyKey\": \""
                + idempotencyKey + "\"}";
    }

    /** Stops the clients, a request not yet acknowledged given up; fails if a client failed. */
    public void stop() throws InterruptedException, ExecutionException {
        ingesting.set(false);
        clients.shutdown();
        if (!clients.awaitTermination(60, TimeUnit.SECONDS)) {
            clients.shutdownNow();
        }
        for (Future<?> client : workers) {
            client.get();
        }
    }

    /** {@link System#nanoTime} of the latest acknowledgement, 0 before the first. */
    public long lastAcknowledgedNanos() {
        return lastAcknowledged.get();
    }

    public Counts counts() {
        return new Counts(sent.get(), resent.get(), acknowledged.size(), snapshot(statuses), snapshot(noAnswer));
    }

    private static <K> Map<K, Integer> snapshot(Map<K, AtomicInteger> counters) {
        Map<K, Integer> counts = new TreeMap<>();
        counters.forEach((key, count) -> counts.put(key, count.get()));
        return counts;
    }

    /**
     * What a reliability result reports of the load, in this order: requests sent and resent, answers
     * by status, requests without answer, events acknowledged, stored, acknowledged and stored, lost
     * (acknowledged but not stored) and stored twice.
     */
    public Map<String, Object> figures(Stored stored) {
        Counts counts = counts();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("requestsSent", counts.requestsSent());
        figures.put("resent", counts.resent());
        figures.put("statuses", counts.statuses());
        figures.put("noAnswer", counts.unanswered());
        figures.put("noAnswerReasons", counts.noAnswer());
        figures.put("acknowledged", counts.acknowledged());
        figures.put("stored", stored.stored());
        figures.put("acknowledgedStored", stored.acknowledgedStored());
        figures.put("lost", counts.acknowledged() - stored.acknowledgedStored());
        figures.put("duplicates", stored.duplicates());
        return figures;
    }

    /** Counts, in the database at {@code databaseUrl}, what the load stored. */
    public Stored stored(String databaseUrl) throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "")) {
            long stored = count(connection, "select count(*) from audit_events where action = ?", null);
            long acknowledgedStored = count(connection, "select count(*) from audit_events where action = ? "
                    + "and idempotency_key = any(?)", acknowledged.toArray(String[]::new));
            long duplicates = count(connection, "select count(*) from (select idempotency_key from audit_events "
                    + "where action = ? group by idempotency_key having count(*) > 1) d", null);
            return new Stored(stored, acknowledgedStored, duplicates);
        }
    }

    private long count(Connection connection, String sql, String[] keys) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, action);
            if (keys != null) {
                statement.setArray(2, connection.createArrayOf("text", keys));
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** The service's own verification of the key's tenant chain ({@code ok}, and what broke if not). */
    public JsonNode verifyChain(String serviceUrl) throws IOException, InterruptedException {
        var reply = HTTP.send(HttpRequest.newBuilder(URI.create(serviceUrl + "/api/v1/integrity/verify"))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        return TestApp.JSON.readTree(reply.body());
    }
}
