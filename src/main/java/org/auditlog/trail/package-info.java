/**
 * The service's own audit trail: events it records about itself, appended through whatever sink
 * ingest provides; and {@link org.auditlog.trail.Platform}, the shared parts every feature above
 * ingest registers itself with.
 */
package org.auditlog.trail;
