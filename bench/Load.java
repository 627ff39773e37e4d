package bench;

import static bench.Bench.JSON;
import static bench.Numbers.millis;
import static bench.Numbers.percentile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** Clients that each repeat a task for a while, with every latency kept. */
record Load(long done, long errors, double seconds, long[] latencies) {
    static Load run(int clients, double seconds, Supplier<Task> worker) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Thread timer = new Thread(() -> {
            try {
                Thread.sleep((long) (seconds * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.set(false);
        });
        timer.start();
        return until(clients, running, worker);
    }

    /** Runs until {@code running} turns false. */
    static Load until(int clients, AtomicBoolean running, Supplier<Task> worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong errors = new AtomicLong();
        List<Future<long[]>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            futures.add(pool.submit(() -> {
                Task task = worker.get();
                long[] times = new long[1024];
                int n = 0;
                while (running.get()) {
                    long t = System.nanoTime();
                    try {
                        task.run();
                    } catch (Exception e) {
                        if (errors.incrementAndGet() <= 3) {
                            System.err.println("  " + e);
                        }
                        continue;
                    }
                    if (n == times.length) {
                        times = Arrays.copyOf(times, n * 2);
                    }
                    times[n++] = System.nanoTime() - t;
                }
                return Arrays.copyOf(times, n);
            }));
        }
        long[] all = new long[0];
        for (Future<long[]> f : futures) {
            long[] times = f.get();
            int at = all.length;
            all = Arrays.copyOf(all, at + times.length);
            System.arraycopy(times, 0, all, at, times.length);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdownNow();
        Arrays.sort(all);
        return new Load(all.length, errors.get(), elapsed, all);
    }

    /** Runs {@code tasks} tasks on {@code clients} threads, each with its own worker state; answers seconds. */
    static double timed(int clients, int tasks, Callable<Task> worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            AtomicLong left = new AtomicLong(tasks);
            List<Future<?>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < clients; i++) {
                futures.add(pool.submit(() -> {
                    Task task = worker.call();
                    while (left.getAndDecrement() > 0) {
                        task.run();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    double perSecond() {
        return done / seconds;
    }

    ObjectNode json() {
        ObjectNode node = JSON.createObjectNode();
        node.put("events", done);
        node.put("errors", errors);
        node.put("eventsPerSecond", Math.round(perSecond()));
        node.put("p50Ms", millis(percentile(latencies, 0.50)));
        node.put("p99Ms", millis(percentile(latencies, 0.99)));
        return node;
    }
}
