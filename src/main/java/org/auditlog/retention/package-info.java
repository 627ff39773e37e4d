/** Retention policies, legal holds and runs that delete in bounded batches while keeping the chain verifiable. */
package org.auditlog.retention;
