package org.auditlog.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before a request reaches the application (a URI or headers too long,
 * a malformed request line, an ambiguous path encoding such as {@code %2F}), in the API's error shape
 * instead of an HTML page or, for methods other than GET and POST, no body at all. The message is
 * the status's reason only: nothing of the request is echoed.
 */
public final class JsonErrorHandler extends ErrorHandler {
    /** The method Jetty gives the stand-in for a request it could not parse. */
    private static final String UNPARSED = "BAD";

    /** Every method gets the error body, not only those Jetty would give an error page. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        // refused before the request-id filter ran: the answer still carries an id
        if (!response.getHeaders().contains(RequestIdFilter.HEADER)) {
            response.getHeaders().put(RequestIdFilter.HEADER,
                    RequestIdFilter.idFor(request.getHeaders().get(RequestIdFilter.HEADER)));
        }
        if (UNPARSED.equals(request.getMethod())) {
            // a request Jetty could not parse (URI or headers too long, a broken request line): it
            // drops the connection after this answer, so tell the client not to reuse it. A parsed
            // request refused here keeps its connection, and Jetty reads the rest of its body.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
        }
        response.write(true, ByteBuffer.wrap(body(code)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(RequestIdFilter.HEADER, RequestIdFilter.idFor(null));
        // Jetty closes the connection after a request it could not parse: say so, so clients do not reuse it
        fields.put(HttpHeader.CONNECTION, "close");
        return ByteBuffer.wrap(body(status));
    }

    private static byte[] body(int code) {
        String reason = HttpStatus.getMessage(code);
        return ("{\"code\":" + code + ",\"message\":\"" + (reason == null ? "request refused" : reason.toLowerCase(Locale.ROOT))
                + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
