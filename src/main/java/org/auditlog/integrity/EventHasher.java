package org.auditlog.integrity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import org.auditlog.common.Digests;
import org.auditlog.event.AuditEvent;

/**
 * The chain's hash, as docs/integrity.md defines it: {@code SHA-256(prevHash || JCS(event))}, where the
 * event is its API JSON form without {@code prevHash} and {@code hash}, canonicalized by RFC 8785.
 */
public final class EventHasher {
    public static final byte[] GENESIS = new byte[32];
    private static final Set<String> CHAIN_MEMBERS = Set.of("id", "seq", "prevHash", "hash");
    private final ObjectMapper mapper;

    public EventHasher(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * An event's canonical bytes around the two values that only the chain's writer knows, {@code id}
     * and {@code seq}. RFC 8785 writes an object's members sorted by key, and the event's keys are
     * fixed ASCII names, so the members before {@code id}, between {@code id} and {@code seq}, and after
     * {@code seq} are three runs that can be canonicalized apart (before the event has its place in the
     * chain, outside the chain's lock) and joined with the two values when it gets it.
     */
    public record Template(byte[] beforeId, byte[] betweenIdAndSeq, byte[] afterSeq) {
        public byte[] canonicalBytes(String id, long seq) {
            byte[] idMember = (",\"id\":\"" + id + "\"").getBytes(StandardCharsets.UTF_8);
            byte[] seqMember = (",\"seq\":" + seq).getBytes(StandardCharsets.UTF_8);
            ByteBuffer out = ByteBuffer.allocate(2 + beforeId.length + idMember.length + betweenIdAndSeq.length
                    + seqMember.length + afterSeq.length);
            out.put((byte) '{').put(beforeId).put(idMember).put(betweenIdAndSeq).put(seqMember).put(afterSeq).put((byte) '}');
            return out.array();
        }

        public byte[] hash(byte[] prevHash, String id, long seq) {
            MessageDigest digest = Digests.sha256();
            digest.update(prevHash);
            digest.update(canonicalBytes(id, seq));
            return digest.digest();
        }
    }

    /** The template of an event; its {@code id}, {@code seq}, {@code prevHash} and {@code hash} are not read. */
    public Template template(AuditEvent event) {
        ObjectNode json = mapper.valueToTree(event);
        StringBuilder before = new StringBuilder(256);
        StringBuilder between = new StringBuilder(512);
        StringBuilder after = new StringBuilder(256);
        for (String key : CanonicalJson.sortedKeys(json)) {
            if (CHAIN_MEMBERS.contains(key)) {
                continue;
            }
            StringBuilder run = key.compareTo("id") < 0 ? before : key.compareTo("seq") < 0 ? between : after;
            CanonicalJson.member(key, json.get(key), run == before && run.isEmpty() ? "" : ",", run);
        }
        return new Template(utf8(before), utf8(between), utf8(after));
    }

    private static byte[] utf8(StringBuilder text) {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 8785 form of the event without {@code prevHash} and {@code hash}: what the chain hashes. */
    public byte[] canonicalBytes(AuditEvent event) {
        return template(event).canonicalBytes(event.id(), event.seq());
    }

    public byte[] hash(AuditEvent event) {
        return template(event).hash(event.prevHashBytes(), event.id(), event.seq());
    }
}
