package org.auditlog.console;

import java.util.List;
import org.auditlog.common.Problem;

/** A refusal shown as a page, for an officer's browser: the status, the message and the fields it names. */
public final class ErrorPage extends ConsolePage {
    private final int status;
    private final String message;
    private final List<Problem> problems;

    ErrorPage(Session session, int status, String message, List<Problem> problems) {
        super("error.ftlh", session, status == 404 ? "Not found" : status == 403 ? "Not allowed" : "Refused", "");
        this.status = status;
        this.message = message;
        this.problems = problems == null ? List.of() : problems;
    }

    public int getStatus() {
        return status;
    }

    public String getMessage() {
        return message;
    }

    public List<Problem> getProblems() {
        return problems;
    }
}
