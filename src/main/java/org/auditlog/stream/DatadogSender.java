package org.auditlog.stream;

import java.util.List;
import org.auditlog.common.Problem;

/** A {@code datadog} stream: Datadog's logs intake, within its limits. */
final class DatadogSender implements StreamSender {
    /** The type's settings; answers its secret. */
    static String settings(StreamDefinition.Settings given) {
        given.problems().add(new Problem("type", "datadog is not supported yet; use webhook"));
        return null;
    }

    @Override
    public Result send(Stream stream, List<Item> items) {
        return Result.refused("datadog is not supported yet");
    }
}
