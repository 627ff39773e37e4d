package org.auditlog.stream;

import io.dropwizard.core.setup.Environment;
import org.auditlog.outbound.OutboundGuard;
import org.auditlog.trail.Platform;

/** SIEM streams: the tenant's destinations and their API. */
public final class StreamsFeature {
    private StreamsFeature() {
    }

    public static void register(Environment environment, Platform platform) {
        var guard = OutboundGuard.of(platform.outbound());
        var service = new StreamsService(platform.jdbi(), platform.trail(), platform.limits(), environment.getObjectMapper());
        environment.jersey().register(new StreamsResource(service, platform.bodies(), guard));
    }
}
