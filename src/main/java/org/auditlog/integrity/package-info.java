/** The hash chain: canonical form and hash, verification, signed checkpoints, signing keys, continuous verification. */
package org.auditlog.integrity;
