/**
 * Calls the service makes to destinations a tenant named: the guard that keeps them off private
 * networks, and the HTTP client that connects only to the address the guard checked.
 */
package org.auditlog.outbound;
