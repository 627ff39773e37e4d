package org.auditlog.database;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** How events are stored: the time partitions of {@code audit_events}. */
public class StorageConfiguration {
    /** The span of each new partition, by the time the service received the event: month, week or day. */
    @NotNull
    @JsonProperty
    private PartitionInterval partitionInterval = PartitionInterval.MONTH;

    /** How many partitions past the current one are kept created ahead, at start and by the hourly job. */
    @Min(1)
    @Max(60)
    @JsonProperty
    private int partitionsAhead = 2;

    public StorageConfiguration() {
    }

    public StorageConfiguration(PartitionInterval partitionInterval, int partitionsAhead) {
        this.partitionInterval = partitionInterval;
        this.partitionsAhead = partitionsAhead;
    }

    public PartitionInterval getPartitionInterval() {
        return partitionInterval;
    }

    public int getPartitionsAhead() {
        return partitionsAhead;
    }
}
