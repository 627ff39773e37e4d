package org.auditlog.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dropwizard.core.setup.Environment;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import java.util.Locale;
import org.auditlog.common.Problem;
import org.auditlog.common.Rejection;
import org.auditlog.database.DatabaseFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mapper per category of failure: the client's mistake (4xx with the field named), the
 * framework's own 4xx (unknown path, wrong method), and the service's failure (5xx, logged with the
 * request id and never shown in detail).
 */
public final class ErrorMappers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);

    private ErrorMappers() {
    }

    public static void register(Environment environment) {
        var jersey = environment.jersey();
        jersey.register(new RejectionMapper());
        jersey.register(new WebApplicationExceptionMapper());
        jersey.register(new JsonExceptionMapper());
        jersey.register(new UnexpectedExceptionMapper());
    }

    public static Response response(int status, String message, List<Problem> details) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(status, message, details))
                .build();
    }

    /** The status code of each kind of rejection: the one place where the domain's refusals become HTTP. */
    public static int status(Rejection.Kind kind) {
        return switch (kind) {
            case MALFORMED -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case GONE -> 410;
            case TOO_LARGE -> 413;
            case INVALID -> 422;
            case TOO_MANY -> 429;
            case UNAVAILABLE -> 503;
        };
    }

    static final class RejectionMapper implements ExceptionMapper<Rejection> {
        @Override
        public Response toResponse(Rejection exception) {
            if (exception.kind() == Rejection.Kind.UNAVAILABLE) {
                LOG.warn("unavailable: {}", exception.getMessage(), exception.getCause());
            }
            Response response = response(status(exception.kind()), exception.getMessage(), exception.details());
            return exception.retryAfter()
                    .map(wait -> Response.fromResponse(response)
                            .header("Retry-After", Long.toString(Math.max(1, wait.toSeconds()))).build())
                    .orElse(response);
        }
    }

    static final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException exception) {
            Response original = exception.getResponse();
            int status = original.getStatus();
            if (status >= 500) {
                LOG.error("request failed", exception);
                return response(status, "the service could not answer this request", List.of());
            }
            var builder = Response.fromResponse(response(status, reason(original), List.of()));
            String retryAfter = original.getHeaderString("Retry-After");
            if (retryAfter != null) {
                builder.header("Retry-After", retryAfter);
            }
            String allow = original.getHeaderString("Allow");
            if (allow != null) {
                builder.header("Allow", allow);
            }
            return builder.build();
        }

        private static String reason(Response response) {
            var info = response.getStatusInfo();
            String phrase = info.getReasonPhrase();
            return phrase == null || phrase.isBlank() ? "request refused" : phrase.toLowerCase(Locale.ROOT);
        }
    }

    /** JSON that Jersey itself could not read, in the few resources that bind bodies to records. */
    static final class JsonExceptionMapper implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException exception) {
            return response(400, "malformed JSON body", List.of());
        }
    }

    static final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable exception) {
            if (DatabaseFailures.isStatementCancelled(exception)) {
                LOG.warn("a read ran past query.statementTimeout and was cancelled: {}", exception.toString());
                return Response.fromResponse(response(503,
                        "the read took longer than the service allows; narrow the filters or retry later", List.of()))
                        .header("Retry-After", "5")
                        .build();
            }
            if (DatabaseFailures.isUnavailable(exception)) {
                LOG.warn("database unavailable: {}", exception.toString());
                return Response.fromResponse(response(503, "the database is unavailable; retry later", List.of()))
                        .header("Retry-After", "5")
                        .build();
            }
            LOG.error("request failed", exception);
            return response(500, "the service could not answer this request", List.of());
        }
    }
}
