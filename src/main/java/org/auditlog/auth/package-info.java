/** API keys bound to a tenant and roles: authentication of every call, the key endpoints, the per-key rate limit. */
package org.auditlog.auth;
