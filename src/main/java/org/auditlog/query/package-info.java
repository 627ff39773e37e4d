/** Reading the log: filters and the SQL they become, keyset pages with sealed cursors, statistics. */
package org.auditlog.query;
