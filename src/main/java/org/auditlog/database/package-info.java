/** Which PostgreSQL the service runs on (configured or embedded), its migrations, and the pool with JDBI. */
package org.auditlog.database;
