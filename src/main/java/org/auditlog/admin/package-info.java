/**
 * The admin port's own additions: its token guard and the Prometheus endpoint. Tasks and health
 * checks live with their features.
 */
package org.auditlog.admin;
