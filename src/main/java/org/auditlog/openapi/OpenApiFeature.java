package org.auditlog.openapi;

import io.dropwizard.core.setup.Environment;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.core.MediaType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.glassfish.jersey.model.Parameter.Source;
import org.glassfish.jersey.server.model.Invocable;
import org.glassfish.jersey.server.model.Parameter;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.server.model.ResourceModel;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;

/**
 * Serves the OpenAPI document at {@value #PATH}. Once Jersey has built its model of every resource the features
 * registered, the document is written from that model's routes under {@code /api}, so it lists what the service
 * really serves; the console's pages are not part of the API and are left out.
 */
public final class OpenApiFeature {
    public static final String PATH = "/api/openapi.json";
    static final String API_PREFIX = "/api/";

    private OpenApiFeature() {
    }

    public static void register(Environment environment) {
        var resource = new OpenApiResource();
        environment.jersey().register(resource);
        environment.jersey().register(new ModelListener(resource));
    }

    /** Every route of {@code model} under {@code /api}, as the document describes it. */
    public static List<Route> routes(ResourceModel model) {
        List<Route> routes = new ArrayList<>();
        for (Resource resource : model.getRootResources()) {
            collect(resource, "", routes);
        }
        return List.copyOf(routes);
    }

    private static void collect(Resource resource, String parentPath, List<Route> routes) {
        if (resource.isExtended()) {
            return;
        }
        String path = join(parentPath, resource.getPath());
        for (ResourceMethod method : resource.getResourceMethods()) {
            // extended: what Jersey adds itself, such as OPTIONS for every path
            if (path.startsWith(API_PREFIX) && !method.isExtended()) {
                routes.add(route(path, method));
            }
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, routes);
        }
    }

    private static Route route(String path, ResourceMethod method) {
        Invocable invocable = method.getInvocable();
        Method definition = invocable.getDefinitionMethod();
        Class<?> handler = invocable.getHandler().getHandlerClass();
        List<Route.Parameter> parameters = new ArrayList<>();
        for (Parameter parameter : invocable.getParameters()) {
            String in = in(parameter.getSource());
            if (in != null) {
                parameters.add(new Route.Parameter(in, parameter.getSourceName()));
            }
        }
        return new Route(method.getHttpMethod(), path, parameters, roles(definition, handler),
                method.getConsumedTypes().stream().map(MediaType::toString).toList(),
                method.getProducedTypes().stream().map(MediaType::toString).toList(),
                feature(handler));
    }

    private static String in(Source source) {
        return switch (source) {
            case PATH -> "path";
            case QUERY -> "query";
            case HEADER -> "header";
            case COOKIE -> "cookie";
            default -> null;
        };
    }

    /** The method's roles, else its class's, as {@code @RolesAllowed} grants them. */
    private static Set<String> roles(Method method, Class<?> handler) {
        RolesAllowed allowed = method.getAnnotation(RolesAllowed.class);
        if (allowed == null) {
            allowed = handler.getAnnotation(RolesAllowed.class);
        }
        return allowed == null ? Set.of() : Set.of(allowed.value());
    }

    /** The feature's package: {@code org.auditlog.query} serves the {@code query} operations. */
    private static String feature(Class<?> handler) {
        String name = handler.getPackageName();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static String join(String parent, String path) {
        if (path == null || path.isEmpty()) {
            return parent.isEmpty() ? "/" : parent;
        }
        String joined = (parent.endsWith("/") ? parent.substring(0, parent.length() - 1) : parent)
                + (path.startsWith("/") ? path : "/" + path);
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    /** Writes the document once Jersey knows every resource, before the first request is served. */
    static final class ModelListener implements ApplicationEventListener {
        private final OpenApiResource resource;

        ModelListener(OpenApiResource resource) {
            this.resource = resource;
        }

        @Override
        public void onEvent(ApplicationEvent event) {
            if (event.getType() == ApplicationEvent.Type.INITIALIZATION_FINISHED) {
                resource.publish(OpenApiDocument.render(routes(event.getResourceModel())));
            }
        }

        @Override
        public RequestEventListener onRequest(RequestEvent requestEvent) {
            return null;
        }
    }
}
