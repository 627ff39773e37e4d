/** Commands of the jar beside server and db: create-key, verify, verify-export. */
package org.auditlog.cli;
