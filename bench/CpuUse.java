package bench;

import static bench.Bench.JSON;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Where the two cores went while one side of a step ran: CPU time of the service, of this load
 * generator, and of the rest of the machine (PostgreSQL, mostly), and the share left idle, from
 * /proc in clock ticks; and the service's CPU by its threads' names. Summed over each run of a
 * side, so a step's alternating rounds add up.
 */
final class CpuUse {
    /** The service's threads, by the start of their names (/proc shows the first 15 characters). */
    static final Map<String, List<String>> THREADS = new LinkedHashMap<>();
    static {
        THREADS.put("requests", List.of("dw-")); // Jetty's pool: HTTP, Jersey, and each request's own work
        THREADS.put("ingestLanes", List.of("event-appender"));
        THREADS.put("jit", List.of("C1 CompilerThre", "C2 CompilerThre"));
        THREADS.put("gc", List.of("GC Thread", "G1 ", "VM Thread"));
    }

    private final long servicePid;
    private long service;
    private long client;
    private long busy;
    private long idle;
    private final Map<String, Long> byThreads = new LinkedHashMap<>();

    CpuUse(long servicePid) {
        this.servicePid = servicePid;
    }

    /** Runs {@code side} and adds what the machine spent meanwhile; answers what {@code side} answered. */
    <T> T measure(Callable<T> side) throws Exception {
        Map<Long, ThreadUse> threadsBefore = threads();
        long[] before = ticks();
        T answer = side.call();
        long[] after = ticks();
        Map<Long, ThreadUse> threadsAfter = threads();
        service += after[0] - before[0];
        client += after[1] - before[1];
        busy += after[2] - before[2];
        idle += after[3] - before[3];
        threadsAfter.forEach((tid, use) -> {
            if (use.group() != null) {
                ThreadUse earlier = threadsBefore.get(tid);
                byThreads.merge(use.group(), use.ticks() - (earlier == null ? 0 : earlier.ticks()), Long::sum);
            }
        });
        return answer;
    }

    /** Service, load generator, machine busy, machine idle. */
    private long[] ticks() throws IOException {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long all = 0;
        for (int i = 1; i < cpu.length; i++) {
            all += Long.parseLong(cpu[i]);
        }
        long idleTicks = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]); // idle and iowait
        return new long[] {processTicks(servicePid), processTicks(ProcessHandle.current().pid()), all - idleTicks, idleTicks};
    }

    private static long processTicks(long pid) throws IOException {
        return ticks(Files.readString(Path.of("/proc/" + pid + "/stat")));
    }

    /** A thread's group in {@link #THREADS} (null for none) and its CPU ticks so far. */
    record ThreadUse(String group, long ticks) {
    }

    /** Each of the service's threads now, by thread id. */
    private Map<Long, ThreadUse> threads() throws IOException {
        Map<Long, ThreadUse> threads = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + servicePid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    threads.put(Long.parseLong(task.getFileName().toString()), new ThreadUse(group(name), ticks(stat)));
                } catch (IOException gone) {
                    // the thread ended while listed
                }
            }
        }
        return threads;
    }

    private static String group(String threadName) {
        for (var group : THREADS.entrySet()) {
            if (group.getValue().stream().anyMatch(threadName::startsWith)) {
                return group.getKey();
            }
        }
        return null;
    }

    private static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime and stime
    }

    /**
     * Microseconds of CPU per event for each part, the machine's idle share, and the share of the
     * service's CPU each group of its threads took ("other": the rest, and threads that ended).
     */
    ObjectNode json(long events) {
        ObjectNode node = JSON.createObjectNode();
        long rest = busy - service - client;
        node.put("serviceMicrosPerEvent", Math.round(service * 10_000.0 / events));
        node.put("loadGeneratorMicrosPerEvent", Math.round(client * 10_000.0 / events));
        node.put("restOfMachineMicrosPerEvent", Math.round(rest * 10_000.0 / events));
        node.put("idlePercent", Math.round(100.0 * idle / Math.max(1, busy + idle)));
        if (service > 0) {
            ObjectNode threads = node.putObject("serviceThreadsPercent");
            long grouped = 0;
            for (String group : THREADS.keySet()) {
                long ticks = byThreads.getOrDefault(group, 0L);
                grouped += ticks;
                threads.put(group, Math.round(100.0 * ticks / service));
            }
            threads.put("other", Math.round(100.0 * (service - grouped) / service));
        }
        return node;
    }
}
