/** The service's own audit trail: events it records about itself, appended through whatever sink ingest provides. */
package org.auditlog.trail;
