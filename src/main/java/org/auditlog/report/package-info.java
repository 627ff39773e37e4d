/**
 * Compliance reports: a signed PDF of a period of a tenant's log, made in the background like an
 * export, with a detached manifest; every section's figures come from the queries in {@link ReportDao},
 * which the report prints beside them.
 */
package org.auditlog.report;
