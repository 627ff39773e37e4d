package org.auditlog.admin;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests by tenant, endpoint and status, with a bounded number of series: the busiest
 * {@code metrics.tenantLabels} tenants by requests are named, every other one is counted as
 * {@link #OTHER}. Names are given on first sight while places are free, and every minute
 * ({@link #rerank}) to the busiest tenants of that minute; a tenant that loses its name loses its
 * series. Each (tenant, endpoint, status) is a timer {@code tenant.requests.<tenant>.<endpoint>.<status>}:
 * its count is the requests, its percentiles the latency; errors are the statuses of 500 and up.
 * Reads (GET, streamed exports and downloads aside) are also counted, and those over one second,
 * for the operational alert on slow reads.
 */
public final class TenantTraffic {
    public static final String PREFIX = "tenant.requests";
    /** The tenants without a name of their own; reserved (a tenant's name never starts with "_"). */
    public static final String OTHER = "_other";
    /** Requests no key was accepted for. */
    public static final String NONE = "_none";
    public static final String READS = "reads.all";
    public static final String SLOW_READS = "reads.slow";
    static final long SLOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final MetricRegistry metrics;
    private final int names;
    private final Map<String, LongAdder> thisMinute = new ConcurrentHashMap<>();
    private volatile Set<String> named = ConcurrentHashMap.newKeySet();
    private final Map<Series, Timer> series = new ConcurrentHashMap<>();
    private final Counter reads;
    private final Counter slowReads;

    public TenantTraffic(MetricRegistry metrics, int names) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        if (names < 0) {
            throw new IllegalArgumentException("names must not be negative");
        }
        this.names = names;
        this.reads = metrics.counter(READS);
        this.slowReads = metrics.counter(SLOW_READS);
    }

    /** Records one answered request; {@code tenant} is null when no key was accepted. */
    public void record(String tenant, String method, String path, int status, long nanos) {
        String endpoint = (method + " " + path).replace('.', '_');
        series.computeIfAbsent(new Series(label(tenant), endpoint, status), s -> metrics.timer(s.name()))
                .update(nanos, TimeUnit.NANOSECONDS);
        if (method.equals("GET") && !path.endsWith("/download") && !path.endsWith("/stream")) {
            reads.inc();
            if (nanos > SLOW_NANOS) {
                slowReads.inc();
            }
        }
    }

    /** The label of a tenant's series: its name while it has one, else {@link #OTHER}. */
    String label(String tenant) {
        if (tenant == null) {
            return NONE;
        }
        thisMinute.computeIfAbsent(tenant, t -> new LongAdder()).increment();
        Set<String> current = named;
        if (current.contains(tenant)) {
            return tenant;
        }
        if (current.size() < names) {
            synchronized (this) {
                if (named.contains(tenant) || named.size() < names && named.add(tenant)) {
                    return tenant;
                }
            }
        }
        return OTHER;
    }

    /**
     * The busiest tenants of the minute that ends now take the names, the named ones that stay
     * busiest keep theirs, and quiet named ones keep theirs while places are left; the series of a
     * tenant that loses its name are removed.
     */
    synchronized void rerank() {
        Set<String> next = ConcurrentHashMap.newKeySet();
        thisMinute.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, LongAdder> e) -> e.getValue().sum()).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(names).forEach(e -> next.add(e.getKey()));
        for (String tenant : new LinkedHashSet<>(named)) {
            if (next.size() < names) {
                next.add(tenant);
            }
        }
        named = next;
        thisMinute.clear();
        // also the series a request recorded under a name while it was being taken away
        series.keySet().removeIf(s -> {
            boolean gone = !next.contains(s.tenant()) && !s.tenant().equals(OTHER) && !s.tenant().equals(NONE);
            if (gone) {
                metrics.remove(s.name());
            }
            return gone;
        });
    }

    /** A tenant label's requests, and those of them answered with a given status. */
    public record Counts(long requests, long answered) {
    }

    /**
     * From the series in {@code metrics} (of any instance's TenantTraffic on that registry): per tenant
     * label, the requests and those answered with {@code status}.
     */
    public static Map<String, Counts> byTenant(MetricRegistry metrics, int status) {
        String prefix = PREFIX + ".";
        String answered = "." + status;
        Map<String, Counts> tenants = new HashMap<>();
        metrics.getTimers((name, metric) -> name.startsWith(prefix)).forEach((name, timer) -> {
            String tenant = name.substring(prefix.length(), name.indexOf('.', prefix.length())); // labels hold no dot
            long count = timer.getCount();
            tenants.merge(tenant, new Counts(count, name.endsWith(answered) ? count : 0),
                    (a, b) -> new Counts(a.requests() + b.requests(), a.answered() + b.answered()));
        });
        return tenants;
    }

    /** Every series there is now, with its timer. */
    Map<Series, Timer> series() {
        return Map.copyOf(series);
    }

    /** One series: a tenant's label, an endpoint ("METHOD /route/{param}") and a status. */
    record Series(String tenant, String endpoint, int status) {
        String name() {
            return PREFIX + "." + tenant + "." + endpoint + "." + status;
        }
    }

    Set<String> named() {
        return Set.copyOf(named);
    }
}
