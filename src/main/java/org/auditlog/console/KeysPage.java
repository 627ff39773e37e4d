package org.auditlog.console;

import java.util.List;
import java.util.Map;
import org.auditlog.auth.ApiKey;
import org.auditlog.auth.ApiKeyService;

/**
 * API keys: the tenant's keys (never a secret, only the hint that tells them apart) and, on the answer
 * to creating one, the new key's secret: shown this once, on this page only.
 */
public final class KeysPage extends AdminPage {
    public record Created(String name, String secret) {
    }

    private final List<ApiKey> keys;
    private final Created created;
    private final String ownKeyId;

    private KeysPage(Session session, String error, Map<String, List<String>> form, List<ApiKey> keys, Created created) {
        super("keys.ftlh", session, "API keys", "keys", error, form);
        this.keys = keys;
        this.created = created;
        this.ownKeyId = session.caller().keyId().toString();
    }

    static KeysPage of(Session session, ApiKeyService keys, String error, Map<String, List<String>> form) {
        return of(session, keys, error, form, null);
    }

    static KeysPage of(Session session, ApiKeyService keys, String error, Map<String, List<String>> form,
                       Created created) {
        return new KeysPage(session, error, form, keys.list(session.caller().requester()), created);
    }

    public List<ApiKey> getKeys() {
        return keys;
    }

    /** The key just created with its secret, or null. */
    public Created getCreated() {
        return created;
    }

    /** The id of the key this session signed in with: revoking it ends the session. */
    public String getOwnKeyId() {
        return ownKeyId;
    }

    public List<String> getRoles() {
        return List.of("ingest", "auditor", "admin");
    }
}
