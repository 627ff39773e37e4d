package org.auditlog.query;

import io.dropwizard.core.setup.Environment;
import org.jdbi.v3.core.Jdbi;

/** Reading the log. */
public final class QueryFeature {
    private QueryFeature() {
    }

    public static void register(Environment environment, Jdbi jdbi) {
        environment.jersey().register(new EventsResource(new QueryService(jdbi)));
    }
}
