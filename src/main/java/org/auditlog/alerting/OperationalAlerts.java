package org.auditlog.alerting;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.auditlog.admin.TenantTraffic;
import org.auditlog.common.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's own thresholds, checked on each instance's own metrics: the share of HTTP 5xx over
 * the last 5 minutes (warning above 5 %, critical above 10 %), the p95 request latency (warning
 * above 1000 ms), database pool use (warning above 80 %, critical above 95 %), each tenant's share
 * of requests refused with 429 (warning above 20 %) and the share of reads over 1 s (warning above
 * 10 %), both over the last 5 minutes. Raised and
 * resolved alerts go to the channels named in {@code alerts.operational.channels}.
 */
public final class OperationalAlerts implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(OperationalAlerts.class);
    static final String REQUESTS = "io.dropwizard.jetty.MutableServletContextHandler.requests";
    static final String ERRORS = "io.dropwizard.jetty.MutableServletContextHandler.5xx-responses";
    static final String POOL_ACTIVE = "io.dropwizard.db.ManagedPooledDataSource.database.active";
    private static final Duration RATIO_WINDOW = Duration.ofMinutes(5);
    private static final long MIN_REQUESTS = 20;
    static final String RATE_LIMITED = "tenant-rate-limited";

    private record Sample(Instant at, long requests, long errors) {
    }

    /** Per tenant label: requests and those refused with 429; and the instance's reads, and slow ones. */
    private record Traffic(Instant at, Map<String, TenantTraffic.Counts> tenants, long reads, long slowReads) {
    }

    /** A check's level: none, warning or critical. */
    enum Level { NONE, WARNING, CRITICAL }

    private final AlertsConfiguration.Operational configuration;
    private final ChannelSender sender;
    private final MetricRegistry metrics;
    private final int poolSize;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final List<Channel> channels;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private final Deque<Traffic> traffic = new ArrayDeque<>();
    private final Map<String, Level> levels = new HashMap<>();
    private final Map<String, Instant> lastRaised = new HashMap<>();
    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private ScheduledExecutorService executor;

    public OperationalAlerts(AlertsConfiguration.Operational configuration, ChannelSender sender, MetricRegistry metrics,
                             int poolSize, int maxAttempts, Duration initialBackoff) {
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.sender = requireNonNull(sender, "sender is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.poolSize = poolSize;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.channels = configuration.getChannels().stream().map(AlertsConfiguration.ChannelSettings::toChannel).toList();
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "operational-alerts");
            thread.setDaemon(true);
            return thread;
        });
        long every = configuration.getInterval().toMillis();
        executor.scheduleWithFixedDelay(() -> {
            try {
                evaluate(Timestamps.now());
            } catch (RuntimeException e) {
                LOG.error("operational alerts could not be evaluated", e);
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Samples the metrics at {@code now}, raises or resolves alerts, and answers the levels. */
    public synchronized Map<String, Level> evaluate(Instant now) {
        Timer requests = metrics.getTimers().get(REQUESTS);
        Meter errors = metrics.getMeters().get(ERRORS);
        if (requests != null && errors != null) {
            samples.addLast(new Sample(now, requests.getCount(), errors.getCount()));
            while (samples.size() > 1 && samples.peekFirst().at().isBefore(now.minus(RATIO_WINDOW))) {
                samples.removeFirst();
            }
            Sample first = samples.peekFirst();
            Sample last = samples.peekLast();
            long requestCount = last.requests() - first.requests();
            double ratio = requestCount < MIN_REQUESTS ? 0 : (double) (last.errors() - first.errors()) / requestCount;
            check("http-5xx-ratio", ratio > 0.10 ? Level.CRITICAL : ratio > 0.05 ? Level.WARNING : Level.NONE,
                    "share of HTTP 5xx answers over the last 5 minutes", ratio, now);
            double p95 = requests.getCount() == 0 ? 0 : requests.getSnapshot().get95thPercentile() / 1_000_000.0;
            check("http-p95-latency", p95 > 1000 ? Level.WARNING : Level.NONE, "p95 request latency in ms", p95, now);
        }
        checkTraffic(now);
        Gauge<?> active = metrics.getGauges().get(POOL_ACTIVE);
        if (active != null && poolSize > 0 && active.getValue() instanceof Number value) {
            double use = value.doubleValue() / poolSize;
            check("database-pool-use", use > 0.95 ? Level.CRITICAL : use > 0.80 ? Level.WARNING : Level.NONE,
                    "share of database connections in use", use, now);
        }
        return Map.copyOf(levels);
    }

    /**
     * Over the last 5 minutes: each tenant's share of requests refused with 429 (warning above 20 %,
     * from 20 requests; the busiest tenants by name, the rest together as one, TenantTraffic), and the
     * share of reads that took more than a second (warning above 10 %, from 20 reads).
     */
    private void checkTraffic(Instant now) {
        traffic.addLast(new Traffic(now, TenantTraffic.byTenant(metrics, 429), metrics.counter(TenantTraffic.READS).getCount(),
                metrics.counter(TenantTraffic.SLOW_READS).getCount()));
        while (traffic.size() > 1 && traffic.peekFirst().at().isBefore(now.minus(RATIO_WINDOW))) {
            traffic.removeFirst();
        }
        Traffic first = traffic.peekFirst();
        Traffic last = traffic.peekLast();
        java.util.Set<String> seen = new java.util.TreeSet<>(last.tenants().keySet());
        levels.keySet().stream().filter(key -> key.startsWith(RATE_LIMITED + "/")).forEach(key -> seen.add(key.substring(RATE_LIMITED.length() + 1)));
        TenantTraffic.Counts none = new TenantTraffic.Counts(0, 0);
        for (String tenant : seen) {
            TenantTraffic.Counts to = last.tenants().getOrDefault(tenant, none);
            TenantTraffic.Counts from = first.tenants().getOrDefault(tenant, none);
            long requests = to.requests() - from.requests();
            double share = requests < MIN_REQUESTS ? 0 : (double) (to.answered() - from.answered()) / requests;
            check(RATE_LIMITED, tenant, share > 0.20 ? Level.WARNING : Level.NONE,
                    "share of the tenant's requests refused with 429 over the last 5 minutes", share, now);
        }
        long reads = last.reads() - first.reads();
        double slow = reads < MIN_REQUESTS ? 0 : (double) (last.slowReads() - first.slowReads()) / reads;
        check("slow-reads", null, slow > 0.10 ? Level.WARNING : Level.NONE,
                "share of reads that took more than 1 s over the last 5 minutes", slow, now);
    }

    private void check(String name, Level level, String meaning, double value, Instant now) {
        check(name, null, level, meaning, value, now);
    }

    /** {@code tenant}: the tenant the alert is about, or null for one about the instance. */
    private void check(String name, String tenant, Level level, String meaning, double value, Instant now) {
        String key = tenant == null ? name : name + "/" + tenant;
        Level previous = java.util.Objects.requireNonNullElse(levels.put(key, level), Level.NONE);
        if (level == Level.NONE && tenant != null) {
            levels.remove(key);
        }
        if (level == previous) {
            return;
        }
        if (level == Level.NONE) {
            notify(name, tenant, "resolved", previous, meaning, value, now);
            return;
        }
        Optional<Instant> last = Optional.ofNullable(lastRaised.get(key + level));
        if (level.compareTo(previous) > 0 && last.map(t -> t.plus(configuration.getCooldown())
                .isAfter(now)).orElse(false)) {
            return;
        }
        lastRaised.put(key + level, now);
        notify(name, tenant, "firing", level, meaning, value, now);
    }

    private void notify(String name, String tenant, String state, Level level, String meaning, double value, Instant now) {
        ObjectNode payload = tenant == null ? payload(name, state, level, meaning, null, "instance", instance, now)
                : payload(name, state, level, meaning, tenant, "tenant", tenant, now);
        payload.put("value", value);
        LOG.warn("operational alert {} {} ({}){}: {} = {}", name, state, level.name().toLowerCase(Locale.ROOT),
                tenant == null ? "" : " for tenant " + tenant, meaning, value);
        send(payload);
    }

    /**
     * An alert about one thing of one tenant, raised once by the part that saw it happen (a SIEM stream
     * that paused itself): {@code group} says what it is about, {@code key} which one.
     */
    public void raise(String name, String tenant, String group, String key, String meaning) {
        Instant now = Timestamps.now();
        LOG.warn("operational alert {} firing for {} {} of tenant {}: {}", name, group, key, tenant, meaning);
        send(payload(name, "firing", Level.WARNING, meaning, tenant, group, key, now));
    }

    private static ObjectNode payload(String name, String state, Level level, String meaning, String tenant,
                                      String group, String key, Instant now) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("alertId", "operational:" + name + ":" + now.toEpochMilli());
        payload.put("state", state);
        payload.put("tenant", tenant);
        payload.putObject("rule").put("id", "operational:" + name).put("name", name).put("description", meaning);
        payload.put("severity", level.name().toLowerCase(Locale.ROOT));
        payload.putObject("group").put("by", group).put("key", key);
        payload.put("firedAt", Timestamps.format(now));
        return payload;
    }

    private void send(ObjectNode payload) {
        String body = payload.toString();
        for (Channel channel : channels) {
            executor().execute(() -> deliver(channel, body));
        }
    }

    private void deliver(Channel channel, String body) {
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            ChannelSender.Result result = sender.send(channel, body);
            if (result.ok()) {
                return;
            }
            metrics.counter("alerts.deliveries.failed").inc();
            LOG.warn("operational alert to {} channel failed (attempt {} of {}): {}", channel.type(), attempt,
                    maxAttempts, result.error());
            try {
                Thread.sleep(initialBackoff.multipliedBy(1L << Math.min(attempt - 1, 10)).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private ScheduledExecutorService executor() {
        if (executor == null) {
            start();
        }
        return executor;
    }
}
