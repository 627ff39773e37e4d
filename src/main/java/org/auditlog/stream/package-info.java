/**
 * SIEM streams (docs/streams.md): a tenant's destinations and their API, the formats an event is sent in
 * (the API's own JSON, OCSF, CEF), and their delivery: a durable cursor per destination on the tenant's
 * chain, moved only after the destination acknowledged, by one {@link org.auditlog.stream.StreamSender}
 * per type.
 */
package org.auditlog.stream;
