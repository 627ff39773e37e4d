/** Compliance exports: streamed, and in the background with signed manifests and expiry. */
package org.auditlog.export;
