package org.auditlog.web;

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
        // the server's handler answers what fails before a context is chosen; the application
        // context's, what its servlet layer refuses itself
        environment.lifecycle().addServerLifecycleListener(server -> server.setErrorHandler(new JsonErrorHandler()));
        environment.getApplicationContext().setErrorHandler(new JsonErrorHandler());
        // An encoded slash or backslash in a path segment (an id; see uriCompliance in config.yml)
        // reaches the resources like any other character and gets their answer (404, a 4xx naming
        // the field) on a connection kept open; refused by the servlet layer it would be a bare 400
        // that closes the connection, racing the request body still in flight. No path-based
        // security constraints exist that such an encoding could slip past.
        environment.getApplicationContext().getServletHandler().setDecodeAmbiguousURIs(true);
        return new JsonBodies(environment.getObjectMapper());
    }
}
