/** Commands of the jar beside server and db: create-key, verify, verify-export, seed-demo. */
package org.auditlog.cli;
