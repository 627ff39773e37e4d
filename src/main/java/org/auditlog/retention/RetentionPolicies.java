package org.auditlog.retention;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.auditlog.access.Requester;
import org.auditlog.common.Timestamps;
import org.auditlog.database.Database;
import org.auditlog.database.ReadTimeout;
import org.auditlog.event.Resource;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Jdbi;

/** A tenant's retention policies: how many days each category is kept, and the default for the rest. */
public final class RetentionPolicies {
    private final Jdbi jdbi;
    private final RetentionConfiguration configuration;
    private final AuditTrail trail;

    public RetentionPolicies(Jdbi jdbi, RetentionConfiguration configuration, AuditTrail trail) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.trail = requireNonNull(trail, "trail is null");
        Database.prepare(jdbi, RetentionDao.class);
    }

    public record Policies(List<RetentionPolicy> policies) {
    }

    public Policies policies(Requester requester) {
        List<RetentionPolicy> stored = ReadTimeout.read(jdbi, RetentionDao.class, dao -> dao.policies(requester.tenant()));
        List<RetentionPolicy> all = new ArrayList<>();
        if (stored.stream().noneMatch(p -> p.category().equals(RetentionPolicy.DEFAULT_CATEGORY))) {
            all.add(new RetentionPolicy(RetentionPolicy.DEFAULT_CATEGORY, configuration.getDefaultRetainDays(), null, null));
        }
        all.addAll(stored);
        return new Policies(all);
    }

    public RetentionPolicy setPolicy(Requester requester, PolicyRequest request) {
        String category = request.category();
        jdbi.useExtension(RetentionDao.class, dao -> dao.setPolicy(requester.tenant(), category, request.retainDays(),
                Timestamps.now(), requester.reference()));
        ObjectNode metadata = JsonNodeFactory.instance.objectNode().put("retainDays", request.retainDays());
        trail.record(requester.tenant(), "admin", "retention.policy.set", requester.actor(),
                new Resource("retention_policy", category, null), metadata);
        return policies(requester).policies().stream().filter(p -> p.category().equals(category)).findFirst().orElseThrow();
    }
}
