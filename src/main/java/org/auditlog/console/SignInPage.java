package org.auditlog.console;

/** The sign-in form: a password field for the key and the token that ties the form to this browser. */
public final class SignInPage extends ConsolePage {
    private final String formToken;
    private final String message;

    SignInPage(String formToken, String message) {
        super("sign-in.ftlh", null, "Sign in", "sign-in");
        this.formToken = formToken;
        this.message = message;
    }

    public String getFormToken() {
        return formToken;
    }

    public String getMessage() {
        return message == null ? "" : message;
    }
}
