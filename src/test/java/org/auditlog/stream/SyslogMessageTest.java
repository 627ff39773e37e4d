package org.auditlog.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.auditlog.event.Actor;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.Outcome;
import org.junit.jupiter.api.Test;

/** A syslog stream's messages: RFC 5424 read back by a pattern, SD escaping, PRI, octet counting in UTF-8 bytes. */
class SyslogMessageTest {
    /** RFC 5424 with this service's one SD element; its params' values may hold escaped characters. */
    static final Pattern MESSAGE = Pattern.compile("<(\\d{1,3})>1 (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) "
            + "\\[audit@32473 id=\"((?:[^\"\\\\\\]]|\\\\[\"\\\\\\]])*)\" seq=\"(\\d+)\" "
            + "tenant=\"((?:[^\"\\\\\\]]|\\\\[\"\\\\\\]])*)\"] (.*)", Pattern.DOTALL);

    private static AuditEvent event(String tenant, Outcome outcome) {
        return new AuditEvent("01a20121-e944-746e-b8ee-b70d1d7355e0", tenant, 42,
                Instant.parse("2026-11-22T02:42:09.348Z"), Instant.parse("2026-11-22T02:42:10.001Z"), "authentication",
                "user.login", outcome, new Actor("alice", "user", null, null), null, null, null, null, null, null,
                null, new byte[32], null);
    }

    @Test
    void aMessageHasEveryRfc5424PartAndTheLineAsItsMessage() {
        String line = "{\"seq\":42,\"actor\":{\"name\":\"Zoë\"}}";
        String message = SyslogMessage.of(event("acme", Outcome.SUCCESS), line, "host-1.example");
        Matcher m = MESSAGE.matcher(message);
        assertThat(m.matches()).as(message).isTrue();
        // facility 13 (log audit) * 8 + 6 (informational); no PROCID; MSGID the category
        assertThat(IntStream.rangeClosed(1, 10).mapToObj(m::group)).containsExactly("110",
                "2026-11-22T02:42:09.348Z", "host-1.example", "audit-service", "-", "authentication",
                "01a20121-e944-746e-b8ee-b70d1d7355e0", "42", "acme", line);
    }

    @Test
    void theSeverityFollowsTheOutcome() {
        assertThat(SyslogMessage.of(event("acme", Outcome.ERROR), "x", "h")).startsWith("<109>1 ");
        assertThat(SyslogMessage.of(event("acme", Outcome.FAILURE), "x", "h")).startsWith("<108>1 ");
        assertThat(SyslogMessage.of(event("acme", Outcome.DENIED), "x", "h")).startsWith("<108>1 ");
    }

    @Test
    void quotesBackslashesAndClosingBracketsInParamValuesAreEscaped() {
        assertThat(SyslogMessage.param("a\"b\\c]d[e=f")).isEqualTo("a\\\"b\\\\c\\]d[e=f");
        Matcher m = MESSAGE.matcher(SyslogMessage.of(event("we\"ird]\\", Outcome.SUCCESS), "x", "h"));
        assertThat(m.matches()).isTrue();
        assertThat(m.group(9)).isEqualTo("we\\\"ird\\]\\\\");
        assertThat(m.group(10)).isEqualTo("x");
    }

    @Test
    void headerFieldsArePrintableAsciiOfTheirLengthOrNil() {
        assertThat(SyslogMessage.header("a b\u00e9", 10)).isEqualTo("a_b_");
        assertThat(SyslogMessage.header("x".repeat(40), 32)).hasSize(32);
        assertThat(SyslogMessage.header("", 32)).isEqualTo("-");
        assertThat(SyslogMessage.localHostName()).isNotEmpty().doesNotContain(" ");
    }

    @Test
    void theFrameCountsTheMessagesUtf8BytesNotItsCharacters() {
        String message = "<110>1 - - - - - - Zoë → ✓ 𝄞";
        byte[] frame = SyslogMessage.frame(message);
        int bytes = message.getBytes(StandardCharsets.UTF_8).length;
        assertThat(bytes).isGreaterThan(message.length());
        String text = new String(frame, StandardCharsets.UTF_8);
        assertThat(text).isEqualTo(bytes + " " + message);
        assertThat(frame).hasSize(Integer.toString(bytes).length() + 1 + bytes);
    }
}
