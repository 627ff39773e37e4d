package org.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import java.time.Instant;
import java.util.HexFormat;
import org.auditlog.common.Digests;
import org.auditlog.event.Actor;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.Outcome;
import org.auditlog.event.Resource;
import org.auditlog.event.Source;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;

/**
 * The template splits the canonical form around id and seq; joined, it must be byte for byte the
 * RFC 8785 form of the whole event, however the members around it look.
 */
class EventHasherTest {
    private static final ObjectMapper MAPPER = Jackson.newObjectMapper();
    private final EventHasher hasher = new EventHasher(MAPPER);

    @Test
    void everyMemberPresentWithKeysLikeIdAndSeqNestedInside() throws Exception {
        AuditEvent event = new AuditEvent("01a20121-e944-746e-b8ee-b70d1d7355e0", "t-\u00e9\u4e2d", 9_007_199_254_740_991L,
                Instant.parse("2026-11-22T02:42:09.348Z"), Instant.parse("2026-11-22T02:42:10.001Z"), "data_access",
                "doc.read", Outcome.DENIED, new Actor("a\"b", "svc", "N\u00e4me", "a@b.c"), new Resource("doc", "d1", "D"),
                new Source("10.0.0.1", "ua \ud83d\ude00"), "req-1", "why\n",
                (ObjectNode) MAPPER.readTree("{\"before\":{\"id\":1,\"seq\":2},\"after\":{\"seq\":3}}"),
                (ObjectNode) MAPPER.readTree("{\"seq\":1e2,\"id\":\"x\",\"z\":[{\"b\":1,\"a\":-0.0}],\"\u00e9\":true}"),
                "key-1", new byte[32], null);
        assertSameAsWholeEventCanonicalized(event);
    }

    @Test
    void onlyTheMembersThatAreAlwaysThere() throws Exception {
        AuditEvent event = new AuditEvent("01a20121-e944-746e-b8ee-b70d1d7355e1", "acme", 1,
                Instant.parse("2026-11-22T02:42:09.348Z"), Instant.parse("2026-11-22T02:42:09.348Z"), "general",
                "user.login", Outcome.SUCCESS, new Actor("alice", "user", null, null), null, null, null, null, null,
                null, null, new byte[32], null);
        assertSameAsWholeEventCanonicalized(event);
    }

    private void assertSameAsWholeEventCanonicalized(AuditEvent event) throws Exception {
        ObjectNode whole = MAPPER.valueToTree(event);
        whole.remove("prevHash");
        whole.remove("hash");
        byte[] expected = new JsonCanonicalizer(MAPPER.writeValueAsString(whole)).getEncodedUTF8();

        assertThat(hasher.canonicalBytes(event)).isEqualTo(expected);
        var digest = Digests.sha256();
        digest.update(event.prevHashBytes());
        assertThat(HexFormat.of().formatHex(hasher.hash(event))).isEqualTo(HexFormat.of().formatHex(digest.digest(expected)));
    }
}
