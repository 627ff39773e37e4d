package org.auditlog.console;

/** A console page the signed-in key may not open, and why. */
public final class RefusedPage extends ConsolePage {
    private final String message;

    RefusedPage(Session session, String message) {
        super("refused.ftlh", session, "Not allowed", "");
        this.message = message;
    }

    public String getMessage() {
        return message;
    }
}
