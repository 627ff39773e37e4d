package org.auditlog.console;

import org.auditlog.export.ExportRecord;

/** A background export's page: its status (kept current by the page's script), links, and how to check it. */
public final class ExportPage extends ConsolePage {
    private final ExportRecord export;
    private final String publicKey;

    /** {@code publicKey}: base64 of the key that signed the manifest, empty until it is signed. */
    ExportPage(Session session, ExportRecord export, String publicKey) {
        super("export.ftlh", session, "Export " + export.id(), "search");
        this.export = export;
        this.publicKey = publicKey;
    }

    public ExportRecord getExport() {
        return export;
    }

    public String getId() {
        return export.id().toString();
    }

    public boolean isDone() {
        return export.status().equals("done");
    }

    public String getExtension() {
        return export.format().equals("ndjson") ? "ndjson" : export.format();
    }

    /** The command that checks the downloaded file against its signed manifest, to copy and paste. */
    public String getVerifyCommand() {
        String base = "audit-" + export.tenant() + "-" + export.id();
        return "java -jar target/audit-service.jar verify-export --file " + base + "." + getExtension()
                + " --manifest " + base + ".manifest.json --public-key " + publicKey;
    }
}
