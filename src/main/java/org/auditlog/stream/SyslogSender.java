package org.auditlog.stream;

import java.util.List;
import org.auditlog.common.Problem;

/** A {@code syslog} stream: RFC 5424 messages with octet-counting framing over TCP or TLS. */
final class SyslogSender implements StreamSender {
    /** The type's settings; answers its secret. */
    static String settings(StreamDefinition.Settings given) {
        given.problems().add(new Problem("type", "syslog is not supported yet; use webhook"));
        return null;
    }

    @Override
    public Result send(Stream stream, List<Item> items) {
        return Result.refused("syslog is not supported yet");
    }
}
