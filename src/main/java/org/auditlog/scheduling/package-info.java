/** The clustered Quartz scheduler on the service's own pool that features hand their jobs to. */
package org.auditlog.scheduling;
