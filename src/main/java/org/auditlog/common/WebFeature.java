package org.auditlog.common;

import io.dropwizard.core.setup.Environment;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;

/** What every endpoint shares: request ids on both ports, the error shape, and JSON body reading. */
public final class WebFeature {
    private WebFeature() {
    }

    public static JsonBodies register(Environment environment) {
        var dispatch = EnumSet.allOf(DispatcherType.class);
        environment.servlets().addFilter("request-id", new RequestIdFilter())
                .addMappingForUrlPatterns(dispatch, false, "/*");
        environment.admin().addFilter("request-id", new RequestIdFilter())
                .addMappingForUrlPatterns(dispatch, false, "/*");
        ErrorMappers.register(environment);
        environment.lifecycle().addServerLifecycleListener(server -> server.setErrorHandler(new JsonErrorHandler()));
        return new JsonBodies(environment.getObjectMapper());
    }
}
