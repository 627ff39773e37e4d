/** The event as values: a validated draft, the stored event, its parts, ids, and the row mapper. */
package org.auditlog.event;
