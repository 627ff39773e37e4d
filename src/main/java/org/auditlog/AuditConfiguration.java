package org.auditlog;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.auditlog.database.DatabaseConfiguration;
import org.auditlog.ingest.IngestConfiguration;

public class AuditConfiguration extends Configuration {
    @Valid
    @NotNull
    @JsonProperty
    private DatabaseConfiguration database = new DatabaseConfiguration();

    @Valid
    @NotNull
    @JsonProperty
    private IngestConfiguration ingest = new IngestConfiguration();

    /** Where the embedded database, export files and signing keys live. */
    @NotEmpty
    @JsonProperty
    private String dataDir = "./data";

    public DatabaseConfiguration getDatabase() {
        return database;
    }

    public IngestConfiguration getIngest() {
        return ingest;
    }

    public String getDataDir() {
        return dataDir;
    }
}
