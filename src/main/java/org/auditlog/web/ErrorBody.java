package org.auditlog.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.auditlog.common.Problem;

/** The one error shape of the API: {@code {"code", "message", "details": [{"field", "error"}]}}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ErrorBody(int code, String message, List<Problem> details) {
    public ErrorBody {
        details = details == null ? List.of() : List.copyOf(details);
    }
}
