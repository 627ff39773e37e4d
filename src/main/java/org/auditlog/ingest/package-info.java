/** Taking events in: validation, the per-tenant group-commit appender and the chain writer. */
package org.auditlog.ingest;
