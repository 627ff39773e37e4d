package bench;

import static bench.Bench.step;
import static bench.Numbers.round;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The events loaded straight into the scratch database before the service starts: the query data
 * set (tenants t0..t9, bench/load-events.sql) and two tenants of expired events (r0 for the service's
 * retention, r1 for the raw DELETE, bench/load-expired.sql).
 */
final class DataSet {
    /** When the query data set's first event occurred; one follows every 31 s, every other one in t0. */
    static final Instant LOAD_BASE = Instant.parse("2021-01-01T00:00:00Z");

    private DataSet() {
    }

    /** Loads both, indexes built after. */
    static void load(Bench bench) throws Exception {
        Bench.Sizes sizes = bench.sizes;
        step("load " + sizes.queryRows() + " events for the queries and 2 x " + sizes.retentionRows() + " expired events");
        long start = System.nanoTime();
        try (Connection c = bench.postgres.connect()) {
            withoutIndexes(c, () -> {
                // r0: the expired events in partitions of their own (2019-01, one every 2.5 s), then a
                // twentieth as many in a partition with held ones (2019-06); r1, the raw DELETE's, in 2018
                script(c, "bench/load-expired.sql", Map.of("rows", sizes.retentionRows(), "tenant", "r0",
                        "start", "2019-01-01", "spacing", 2.5, "seqFrom", 0, "heldEvery", 0));
                script(c, "bench/load-expired.sql", Map.of("rows", sizes.retentionRows() / 20, "tenant", "r0",
                        "start", "2019-06-01", "spacing", 30, "seqFrom", sizes.retentionRows(), "heldEvery", 500));
                script(c, "bench/load-expired.sql", Map.of("rows", sizes.retentionRows(), "tenant", "r1",
                        "start", "2018-01-01", "spacing", 2.5, "seqFrom", 0, "heldEvery", 0));
                script(c, "bench/load-events.sql", Map.of("rows", sizes.queryRows()));
            });
        }
        bench.result.put("loadSeconds", round((System.nanoTime() - start) / 1e9, 1));
    }

    /**
     * Runs a bulk load with the secondary indexes of audit_events dropped, then builds them again from
     * their own definitions and vacuums: otherwise autovacuum takes up the freshly loaded rows in the
     * middle of the measured steps, and the visibility map is empty.
     */
    static void withoutIndexes(Connection c, Task load) throws Exception {
        List<String[]> indexes = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select indexname, indexdef from pg_indexes where tablename = 'audit_events' "
                     + "and indexname <> 'audit_events_pk'")) {
            while (rs.next()) {
                // a partitioned table's index reads "ON ONLY", which would build none on its partitions
                indexes.add(new String[] {rs.getString(1), rs.getString(2).replace(" ON ONLY ", " ON ")});
            }
        }
        try (Statement s = c.createStatement()) {
            for (String[] index : indexes) {
                s.execute("drop index " + index[0]);
            }
        }
        load.run();
        try (Statement s = c.createStatement()) {
            s.execute("set maintenance_work_mem = '512MB'");
            for (String[] index : indexes) {
                s.execute(index[1]);
            }
            s.execute("vacuum (analyze) audit_events");
        }
    }

    /** Runs a psql-style script: statements end with ";" at a line's end; :name and :'name' are replaced. */
    static void script(Connection c, String file, Map<String, Object> variables) throws Exception {
        String text = Files.readString(Path.of(file)).lines().filter(l -> !l.startsWith("--"))
                .reduce("", (a, b) -> a + b + "\n");
        for (var variable : variables.entrySet()) {
            text = text.replace(":'" + variable.getKey() + "'", "'" + variable.getValue() + "'")
                    .replaceAll("(?<!:):" + variable.getKey() + "\\b", String.valueOf(variable.getValue()));
        }
        try (Statement s = c.createStatement()) {
            for (String statement : text.split(";\\s*\n")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        }
    }
}
