/**
 * Calls the service makes to destinations a tenant named: the guard that keeps them off private
 * networks, the HTTP client that connects only to the address the guard checked, and the
 * {@link org.auditlog.outbound.Mailer} that sends e-mail through the configured SMTP server.
 */
package org.auditlog.outbound;
