package org.auditlog.stream;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import org.auditlog.event.AuditEvent;

/**
 * One event as an RFC 5424 syslog message and its octet-counting frame (RFC 5425 §4.3, RFC 6587
 * §3.4.1): {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] MSG}.
 *
 * <ul>
 * <li>PRI: facility 13 (log audit) and a severity from the event's outcome, through the OCSF
 *     severity of {@link StreamMapping#OUTCOMES}: Informational (a success) is 6 (informational),
 *     Low (an error) 5 (notice), Medium (a failure or a denial) 4 (warning).</li>
 * <li>TIMESTAMP: when the event occurred (UTC, milliseconds); HOSTNAME: this instance's;
 *     APP-NAME {@code audit-service}; PROCID none; MSGID: the event's category.</li>
 * <li>SD: {@code [audit@32473 id="…" seq="…" tenant="…"]}, values escaped as §6.3.3 requires.</li>
 * <li>MSG: the event as the stream's format writes it, UTF-8 without a BOM (a single line in
 *     every format).</li>
 * </ul>
 */
final class SyslogMessage {
    /** Facility 13: log audit. */
    static final int FACILITY = 13;
    static final String APP_NAME = "audit-service";
    /** The structured data's id, in the form of a private enterprise number's (32473 is the one for examples). */
    static final String SD_ID = "audit@32473";
    private static final String NIL = "-";

    private SyslogMessage() {
    }

    /** The message for {@code event}, formatted as {@code line}, sent from {@code hostname}. */
    static String of(AuditEvent event, String line, String hostname) {
        return "<" + (FACILITY * 8 + severity(event)) + ">1 " + event.occurredAt() + ' ' + header(hostname, 255)
                + ' ' + APP_NAME + ' ' + NIL + ' ' + header(event.category(), 32)
                + " [" + SD_ID + " id=\"" + param(event.id()) + "\" seq=\"" + event.seq() + "\" tenant=\""
                + param(event.tenant()) + "\"] " + line;
    }

    /** The syslog severity (0 emergency to 7 debug) of an event, by its outcome. */
    static int severity(AuditEvent event) {
        return 7 - StreamMapping.OUTCOMES.get(event.outcomeValue()).severityId();
    }

    /** Octet-counting framing: the message's length in UTF-8 bytes, a space, the message. */
    static byte[] frame(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        byte[] prefix = (bytes.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[prefix.length + bytes.length];
        System.arraycopy(prefix, 0, frame, 0, prefix.length);
        System.arraycopy(bytes, 0, frame, prefix.length, bytes.length);
        return frame;
    }

    /** An SD parameter's value: {@code "}, {@code \} and {@code ]} escaped with a backslash (RFC 5424 §6.3.3). */
    static String param(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** A header field: printable US-ASCII only (others as {@code _}), at most {@code max} characters; empty is nil. */
    static String header(String value, int max) {
        if (value == null || value.isEmpty()) {
            return NIL;
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), max));
        for (int i = 0; i < value.length() && out.length() < max; i++) {
            char c = value.charAt(i);
            out.append(c > 32 && c < 127 ? c : '_');
        }
        return out.toString();
    }

    /** This machine's host name for the HOSTNAME field; nil when it has none. */
    static String localHostName() {
        try {
            return header(InetAddress.getLocalHost().getHostName(), 255);
        } catch (UnknownHostException e) {
            return NIL;
        }
    }
}
