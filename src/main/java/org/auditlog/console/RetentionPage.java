package org.auditlog.console;

import java.util.List;
import java.util.Map;
import org.auditlog.retention.LegalHold;
import org.auditlog.retention.RetentionFeature;
import org.auditlog.retention.RetentionPolicy;
import org.auditlog.retention.RetentionRun;

/** Retention: the tenant's policies, its legal holds, its recent runs, and a dry run's answer when one was asked. */
public final class RetentionPage extends AdminPage {
    private static final int RUNS = 20;

    private final List<RetentionPolicy> policies;
    private final List<LegalHold> holds;
    private final List<RetentionRun> runs;
    private final RetentionRun dryRun;

    private RetentionPage(Session session, String error, Map<String, List<String>> form, List<RetentionPolicy> policies,
                          List<LegalHold> holds, List<RetentionRun> runs, RetentionRun dryRun) {
        super("retention.ftlh", session, "Retention", "retention", error, form);
        this.policies = policies;
        this.holds = holds;
        this.runs = runs;
        this.dryRun = dryRun;
    }

    static RetentionPage of(Session session, RetentionFeature.Retention retention, String error,
                            Map<String, List<String>> form) {
        return of(session, retention, error, form, null);
    }

    static RetentionPage of(Session session, RetentionFeature.Retention retention, String error,
                            Map<String, List<String>> form, RetentionRun dryRun) {
        var requester = session.caller().requester();
        var runs = retention.runner().runs(requester).runs();
        return new RetentionPage(session, error, form, retention.policies().policies(requester).policies(),
                retention.holds().holds(requester).holds(), runs.subList(0, Math.min(RUNS, runs.size())), dryRun);
    }

    public List<RetentionPolicy> getPolicies() {
        return policies;
    }

    public List<LegalHold> getHolds() {
        return holds;
    }

    public List<RetentionRun> getRuns() {
        return runs;
    }

    /** The dry run just made, or null. */
    public RetentionRun getDryRun() {
        return dryRun;
    }

    public List<String> getHoldFilters() {
        return AdminForms.HOLD_FILTERS;
    }
}
