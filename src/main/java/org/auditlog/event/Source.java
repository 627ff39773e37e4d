package org.auditlog.event;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Where it came from; {@code ip} is held in its canonical text form (RFC 5952 for IPv6). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Source(String ip, String userAgent) {
}
