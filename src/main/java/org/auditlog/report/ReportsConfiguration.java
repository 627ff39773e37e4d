package org.auditlog.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

public class ReportsConfiguration {
    /** Where report files are kept. Empty: {@code <dataDir>/reports}. Share it between instances. */
    @NotNull
    @JsonProperty
    private String directory = "";

    /** A scheduled report larger than this is mailed as a link, not attached. */
    @NotNull
    @JsonProperty
    private DataSize maxAttachmentSize = DataSize.megabytes(10);

    /**
     * How often the clustered {@code report-schedules} job looks for schedules that are due and for their
     * finished reports to mail: a scheduled report starts at most this late, and is mailed at most this
     * long after it is done.
     */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration scheduleInterval = Duration.minutes(1);

    public String getDirectory() {
        return directory;
    }

    public long getMaxAttachmentBytes() {
        return maxAttachmentSize.toBytes();
    }

    public java.time.Duration getScheduleInterval() {
        return scheduleInterval.toJavaDuration();
    }
}
