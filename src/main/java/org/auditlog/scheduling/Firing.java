package org.auditlog.scheduling;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;

/**
 * One run of a job, as its task sees it: the job's name ({@code export-<id>}, {@code retention}),
 * its data (ids and strings only; the task reloads its state), whether Quartz runs it again because
 * the instance that ran it stopped, when it was due and which instance of the cluster runs it.
 */
public record Firing(String job, Map<String, String> data, boolean recovering, Instant scheduledAt, String instance) {
    public Firing {
        requireNonNull(job, "job is null");
        data = Map.copyOf(requireNonNull(data, "data is null"));
        requireNonNull(scheduledAt, "scheduledAt is null");
        requireNonNull(instance, "instance is null");
    }

    /** The value stored under {@code key} when the job was scheduled. */
    public String required(String key) {
        String value = data.get(key);
        if (value == null) {
            throw new IllegalStateException("job " + job + " has no " + key);
        }
        return value;
    }
}
