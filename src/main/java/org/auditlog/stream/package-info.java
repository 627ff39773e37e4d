/**
 * The formats SIEM streams send an event in: the API's own JSON, OCSF, and CEF (docs/streams.md).
 * Formatting only: no HTTP and no delivery here.
 */
package org.auditlog.stream;
