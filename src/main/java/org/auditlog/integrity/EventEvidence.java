package org.auditlog.integrity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import org.auditlog.common.Timestamps;
import org.auditlog.common.WireNames;

/**
 * What the chain says of one event, for its badge: {@link State#VERIFIED} only when the chain from
 * the event up to the first signed checkpoint at or after it verifies and that checkpoint is signed
 * by a trusted key over the hash the chain holds there. The checkpoint's seq, time and key id are
 * given when verified ({@code checkpointSeq} alone when too far); {@code firstBrokenSeq} and
 * {@code reason} when broken. {@code checked} counts the events and retention links checked.
 * See docs/integrity.md, "An event's badge".
 */
@JsonPropertyOrder({"state", "seq", "checked", "checkpointSeq", "checkpointTime", "checkpointKeyId", "firstBrokenSeq",
        "reason"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventEvidence(
        State state,
        long seq,
        long checked,
        Long checkpointSeq,
        @JsonIgnore Instant checkpointSignedAt,
        String checkpointKeyId,
        Long firstBrokenSeq,
        String reason) {
    /**
     * The most events one answer checks. A covering checkpoint further than that gives
     * {@link State#TOO_FAR} (never verified); a chain further than that from the event to its head is
     * checked that far for a pending one.
     */
    public static final long MAX_CHECKED = 100_000;

    /** The badge. */
    public enum State {
        /** Green: the chain verifies from the event to a checkpoint a trusted key signed. */
        VERIFIED,
        /** Red: something from the event on does not verify; {@code firstBrokenSeq} and {@code reason} say what. */
        BROKEN,
        /** Grey: no checkpoint covers the event yet; the chain from it to the head verifies. */
        PENDING,
        /**
         * Grey: the covering checkpoint is more than {@link #MAX_CHECKED} events away; that many
         * verify, the rest was not checked.
         */
        TOO_FAR;

        private static final WireNames<State> WIRE_NAMES = new WireNames<>(State.class);

        @JsonValue
        public String wireName() {
            return WIRE_NAMES.of(this);
        }
    }

    public EventEvidence {
        requireNonNull(state, "state is null");
    }

    static EventEvidence verified(long seq, long checked, CheckpointDao.Signed checkpoint) {
        return new EventEvidence(State.VERIFIED, seq, checked, checkpoint.seq(), checkpoint.signedAt(),
                checkpoint.keyId(), null, null);
    }

    static EventEvidence broken(long seq, VerificationResult chain) {
        return new EventEvidence(State.BROKEN, seq, chain.checked(), null, null, null, chain.firstBrokenSeq(),
                chain.reason());
    }

    static EventEvidence pending(long seq, long checked) {
        return new EventEvidence(State.PENDING, seq, checked, null, null, null, null,
                "no signed checkpoint covers this event yet");
    }

    static EventEvidence tooFar(long seq, long checked, long checkpointSeq, long limit) {
        return new EventEvidence(State.TOO_FAR, seq, checked, checkpointSeq, null, null, null,
                "the checkpoint covering this event is more than " + limit + " events away; verify the range "
                        + seq + " to " + checkpointSeq);
    }

    /** The checkpoint's time, as the checkpoint shows it ({@code time}). */
    @JsonProperty("checkpointTime")
    public String checkpointTime() {
        return checkpointSignedAt == null ? null : Timestamps.format(checkpointSignedAt);
    }
}
