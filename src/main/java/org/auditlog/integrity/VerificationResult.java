package org.auditlog.integrity;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a verification found. {@code firstBrokenSeq} names the first event that is missing, altered
 * or out of its place, null when the range verified; {@code reason} says which check failed.
 */
@JsonPropertyOrder({"ok", "checked", "fromSeq", "toSeq", "firstBrokenSeq", "reason"})
public record VerificationResult(
        boolean ok,
        long checked,
        long fromSeq,
        long toSeq,
        @JsonInclude(JsonInclude.Include.ALWAYS) Long firstBrokenSeq,
        @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
        @JsonIgnore byte[] lastHash) {

    static VerificationResult verified(long checked, long fromSeq, long toSeq, byte[] lastHash) {
        return new VerificationResult(true, checked, fromSeq, toSeq, null, null, lastHash);
    }

    static VerificationResult broken(long checked, long fromSeq, long toSeq, long firstBrokenSeq, String reason) {
        return new VerificationResult(false, checked, fromSeq, toSeq, firstBrokenSeq, reason, null);
    }
}
