package org.auditlog.console;

import io.dropwizard.assets.AssetsBundle;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.views.common.ViewBundle;
import io.dropwizard.views.freemarker.FreemarkerViewRenderer;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.auditlog.trail.Platform;

/** The officers' console at {@code /console/}: its pages, its sessions, its stylesheet and script. */
public final class ConsoleFeature {
    private ConsoleFeature() {
    }

    /**
     * The page renderer (FreeMarker, whose {@code .ftlh} templates escape every value for HTML) and the
     * console's own files, served from the jar at {@code /console/assets/}.
     */
    public static void initialize(Bootstrap<?> bootstrap) {
        bootstrap.addBundle(new ViewBundle<>(List.of(new FreemarkerViewRenderer(freemarker.template.Configuration.VERSION_2_3_34))));
        bootstrap.addBundle(new AssetsBundle("/org/auditlog/console/assets", "/console/assets", null, "console-assets"));
    }

    /** {@code recordViews}: {@code query.recordQueries}, which page views honour like the API's queries. */
    public static void register(Environment environment, ConsoleConfiguration configuration, Platform platform,
                                boolean recordViews, ConsoleServices services) {
        var sessions = new ConsoleSessions(platform.jdbi(), platform.trail(), configuration);
        var jersey = environment.jersey();
        jersey.register(new ConsoleSessionFilter(sessions));
        jersey.register(new ConsoleErrorPagesFilter());
        jersey.register(new SignInResource(sessions, services.keys().check()));
        jersey.register(new ConsoleRootResource());
        var views = new PageViews(platform.trail(), recordViews);
        jersey.register(new ConsoleResource(services, sessions, new SavedSearches(platform.jdbi()), views,
                environment.getObjectMapper()));
        jersey.register(new AdminPagesResource(services, views));
        environment.servlets().addFilter("console-headers", new ConsoleHeadersFilter())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/console/*", "/console");
        platform.scheduler().every("console-sessions", firing -> sessions.deleteExpired(), Duration.ofHours(1));
    }
}
