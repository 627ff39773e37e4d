package org.auditlog.stream;

import java.util.List;
import org.auditlog.common.Problem;

/** A {@code splunk-hec} stream: the HEC event envelope, with indexer acknowledgement when the destination asks for it. */
final class SplunkHecSender implements StreamSender {
    /** The type's settings; answers its secret. */
    static String settings(StreamDefinition.Settings given) {
        given.problems().add(new Problem("type", "splunk-hec is not supported yet; use webhook"));
        return null;
    }

    @Override
    public Result send(Stream stream, List<Item> items) {
        return Result.refused("splunk-hec is not supported yet");
    }
}
