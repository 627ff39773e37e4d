package org.auditlog.scheduling;

/** What a job does: one call into a feature's service, given the firing that started it. */
@FunctionalInterface
public interface ScheduledTask {
    void run(Firing firing) throws Exception;
}
