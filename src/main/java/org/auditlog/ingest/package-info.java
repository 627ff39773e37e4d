/** Taking events in: validation, the per-tenant group-commit appender, the chain writer, and the audit trail of the service's own events. */
package org.auditlog.ingest;
