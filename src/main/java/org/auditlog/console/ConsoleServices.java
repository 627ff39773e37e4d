package org.auditlog.console;

import static java.util.Objects.requireNonNull;

import org.auditlog.alerting.AlertingFeature;
import org.auditlog.auth.AuthFeature;
import org.auditlog.export.ExportService;
import org.auditlog.integrity.IntegrityService;
import org.auditlog.query.QueryService;
import org.auditlog.retention.RetentionFeature;

/**
 * The services the console's pages call: the same ones the API's resources call, so a change made on
 * a page is checked, made and recorded exactly as through the API. {@code queries} records nothing;
 * the console records one entry per page instead.
 */
public record ConsoleServices(QueryService queries, ExportService exports, IntegrityService integrity,
                              RetentionFeature.Retention retention, AlertingFeature.Alerting alerting,
                              AuthFeature.Keys keys) {
    public ConsoleServices {
        requireNonNull(queries, "queries is null");
        requireNonNull(exports, "exports is null");
        requireNonNull(integrity, "integrity is null");
        requireNonNull(retention, "retention is null");
        requireNonNull(alerting, "alerting is null");
        requireNonNull(keys, "keys is null");
    }
}
