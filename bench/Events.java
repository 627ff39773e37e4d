package bench;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The same synthetic event as JSON for the service and as a row for raw PostgreSQL. */
final class Events {
    static final String RAW_COLUMNS = "tenant, seq, id, occurred_at, received_at, category, action, outcome, actor_id, "
            + "actor_type, actor_name, resource_type, resource_id, source_ip, user_agent, request_id, metadata, "
            + "idempotency_key, prev_hash, hash";
    static final String[] CATEGORIES = {"auth", "admin", "data_access", "system"};

    private Events() {
    }

    static String json(long n) {
        return "{\"action\":\"svc" + n % 10 + ".op" + n / 10 % 10 + "\",\"category\":\"" + CATEGORIES[(int) (n % 4)]
                + "\",\"outcome\":\"success\",\"actor\":{\"id\":\"actor-" + n % 5000 + "\",\"type\":\"user\",\"name\":\"Actor "
                + n % 5000 + "\"},\"resource\":{\"type\":\"type" + n % 20 + "\",\"id\":\"res-" + n % 10000
                + "\"},\"source\":{\"ip\":\"10." + n % 250 + "." + n / 250 % 250 + ".1\",\"userAgent\":\"Mozilla/5.0 (bench)\"},"
                + "\"requestId\":\"req-" + n + "\",\"metadata\":{\"team\":\"team" + n % 50 + "\",\"ref\":" + n
                + ",\"note\":\"synthetic event for the benchmark\"},\"idempotencyKey\":\"bench-" + n + "\"}";
    }

    static void csvRow(StringBuilder out, String tenant, long seq, long n) {
        String now = Instant.now().toString();
        out.append(tenant).append(',').append(seq).append(',').append(UUID.randomUUID()).append(',')
                .append(now).append(',').append(now).append(',').append(CATEGORIES[(int) (n % 4)])
                .append(",svc").append(n % 10).append(".op").append(n / 10 % 10).append(",success,actor-").append(n % 5000)
                .append(",user,Actor ").append(n % 5000).append(",type").append(n % 20).append(",res-").append(n % 10000)
                .append(",10.").append(n % 250).append('.').append(n / 250 % 250).append(".1,Mozilla/5.0 (bench),req-").append(n)
                .append(",\"{\"\"team\"\": \"\"team").append(n % 50).append("\"\", \"\"ref\"\": ").append(n)
                .append(", \"\"note\"\": \"\"synthetic event for the benchmark\"\"}\",bench-").append(n)
                .append(",\\x").append(hash(n)).append(",\\x").append(hash(n + 1)).append('\n');
    }

    static PreparedStatement bind(PreparedStatement s, String tenant, long seq, long n) throws SQLException {
        s.setString(1, tenant);
        s.setLong(2, seq);
        s.setObject(3, UUID.randomUUID());
        s.setString(4, CATEGORIES[(int) (n % 4)]);
        s.setString(5, "svc" + n % 10 + ".op" + n / 10 % 10);
        s.setString(6, "success");
        s.setString(7, "actor-" + n % 5000);
        s.setString(8, "user");
        s.setString(9, "Actor " + n % 5000);
        s.setString(10, "type" + n % 20);
        s.setString(11, "res-" + n % 10000);
        s.setString(12, "10." + n % 250 + "." + n / 250 % 250 + ".1");
        s.setString(13, "Mozilla/5.0 (bench)");
        s.setString(14, "req-" + n);
        s.setString(15, "{\"team\": \"team" + n % 50 + "\", \"ref\": " + n + ", \"note\": \"synthetic event for the benchmark\"}");
        s.setString(16, "bench-" + n);
        s.setBytes(17, HexFormat.of().parseHex(hash(n)));
        s.setBytes(18, HexFormat.of().parseHex(hash(n + 1)));
        return s;
    }

    static String hash(long n) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format(Locale.ROOT, "%016x%016x%016x%016x", r.nextLong(), r.nextLong(), n, r.nextLong());
    }
}
