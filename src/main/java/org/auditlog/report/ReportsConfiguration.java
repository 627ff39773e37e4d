package org.auditlog.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import jakarta.validation.constraints.NotNull;

public class ReportsConfiguration {
    /** Where report files are kept. Empty: {@code <dataDir>/reports}. Share it between instances. */
    @NotNull
    @JsonProperty
    private String directory = "";

    /** A scheduled report larger than this is mailed as a link, not attached. */
    @NotNull
    @JsonProperty
    private DataSize maxAttachmentSize = DataSize.megabytes(10);

    public String getDirectory() {
        return directory;
    }

    public long getMaxAttachmentBytes() {
        return maxAttachmentSize.toBytes();
    }
}
