/** The clustered Quartz scheduler on the service's own pool, and the one job class that runs the tasks features register by name. */
package org.auditlog.scheduling;
