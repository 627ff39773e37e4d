/** Who is asking: the authenticated caller of a request, its roles, and the tenant and actor it acts as. */
package org.auditlog.access;
