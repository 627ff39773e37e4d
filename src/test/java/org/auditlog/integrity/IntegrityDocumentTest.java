package org.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.auditlog.event.Actor;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.Outcome;
import org.auditlog.event.Source;
import org.junit.jupiter.api.Test;

/** Keeps the worked example of docs/integrity.md true: the service hashes that event exactly as shown. */
class IntegrityDocumentTest {
    @Test
    void workedExampleMatchesTheService() throws Exception {
        String document = Files.readString(Path.of("docs/integrity.md"));
        String canonical = block(document, "```text\n", "\n```");
        String hash = block(document, "```text\nhash = ", "\n").trim();

        var mapper = Jackson.newObjectMapper();
        var event = new AuditEvent("01a20121-e944-746e-b8ee-b70d1d7355e0", "acme", 1,
                Instant.parse("2026-11-22T02:42:09.348Z"), Instant.parse("2026-11-22T02:42:09.348Z"), "general",
                "user.login", Outcome.SUCCESS, new Actor("alice", "user", null, null), null,
                new Source("2001:db8::1", null), null, null, null,
                (ObjectNode) mapper.readTree("{\"b\":[1,2],\"a\":1.0}"), null, new byte[32], null);
        var hasher = new EventHasher(mapper);

        assertThat(new String(hasher.canonicalBytes(event), StandardCharsets.UTF_8)).isEqualTo(canonical);
        assertThat(HexFormat.of().formatHex(hasher.hash(event))).isEqualTo(hash);
    }

    private static String block(String text, String start, String end) {
        Matcher m = Pattern.compile(Pattern.quote(start) + "(.*?)" + Pattern.quote(end), Pattern.DOTALL).matcher(text);
        assertThat(m.find()).as("docs/integrity.md holds %s", start.trim()).isTrue();
        return m.group(1);
    }
}
