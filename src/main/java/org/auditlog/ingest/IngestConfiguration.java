package org.auditlog.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDataSize;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;

public class IngestConfiguration {
    @Min(1)
    @Max(100_000)
    @JsonProperty
    private int maxBatchSize = 1000;

    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.SECONDS)
    @MaxDuration(value = 24, unit = TimeUnit.HOURS) // EventDraft.MOST_AHEAD_OF_RECEIPT, which the database enforces
    @JsonProperty
    private Duration maxFutureSkew = Duration.minutes(5);

    @NotNull
    @MinDataSize(1024)
    @MaxDataSize(value = 64, unit = io.dropwizard.util.DataSizeUnit.MEBIBYTES)
    @JsonProperty
    private DataSize maxEventBodySize = DataSize.mebibytes(1);

    @NotNull
    @MinDataSize(1024)
    @MaxDataSize(value = 256, unit = io.dropwizard.util.DataSizeUnit.MEBIBYTES)
    @JsonProperty
    private DataSize maxBatchBodySize = DataSize.mebibytes(10);

    /** Threads that commit coalesced appends; each holds one database connection while it commits. */
    @Min(1)
    @Max(64)
    @JsonProperty
    private int writerThreads = 4;

    /** Upper bound of events coalesced into one transaction. */
    @Min(1)
    @Max(100_000)
    @JsonProperty
    private int maxEventsPerCommit = 5000;

    @NotNull
    @JsonProperty
    private Duration appendTimeout = Duration.seconds(30);

    public int getMaxBatchSize() {
        return maxBatchSize;
    }

    public java.time.Duration getMaxFutureSkew() {
        return maxFutureSkew.toJavaDuration();
    }

    public DataSize getMaxEventBodySize() {
        return maxEventBodySize;
    }

    public DataSize getMaxBatchBodySize() {
        return maxBatchBodySize;
    }

    public int getWriterThreads() {
        return writerThreads;
    }

    public int getMaxEventsPerCommit() {
        return maxEventsPerCommit;
    }

    public java.time.Duration getAppendTimeout() {
        return appendTimeout.toJavaDuration();
    }
}
