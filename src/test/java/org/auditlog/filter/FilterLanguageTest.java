package org.auditlog.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.auditlog.common.Rejection;
import org.junit.jupiter.api.Test;

/** The filter language without HTTP: parsed from parameters, bodies or storage, translated to bound SQL. */
class FilterLanguageTest {
    @Test
    void aStoredFilterReadsBackAsTheFilterThatWroteIt() {
        EventFilter filter = FilterParser.parse(Map.of("actorId", List.of("alice"), "action", List.of("user.*"),
                "from", List.of("2026-01-01T00:00:00Z"), "meta.region", List.of("eu")), Set.of());
        assertThat(FilterParser.stored(filter.describe().toString())).isEqualTo(filter);
    }

    @Test
    void aStoredFilterThatNoLongerReadsFailsTheJobNotAsARefusedRequest() {
        assertThatThrownBy(() -> FilterParser.stored("{\"outcome\":\"maybe\"}"))
                .isInstanceOf(IllegalStateException.class).isNotInstanceOf(Rejection.class)
                .hasMessageContaining("stored filter").hasMessageContaining("filters.outcome");
        assertThatThrownBy(() -> FilterParser.stored("{not json"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void everyValueIsBoundAndNeverInTheText() {
        EventFilter filter = FilterParser.parse(Map.of("actorId", List.of("x' or 1=1 --"), "meta.k", List.of("5")),
                Set.of());
        EventWhere where = EventWhere.of("acme", filter).atMostSeq(42).after(false, Instant.EPOCH, 7);
        assertThat(where.sql()).doesNotContain("x'").doesNotContain("acme").doesNotContain("42")
                .contains("tenant = :tenant", "actor_id = :actorId", "seq <= :", "(occurred_at, seq) < (:", "metadata @>");
        assertThat(where.parameters()).containsEntry("actorId", "x' or 1=1 --").containsEntry("tenant", "acme")
                .containsValue(42L).containsValue(7L);
        assertThat(where.sqlButMetadata()).doesNotContain("metadata");
        assertThat(where.metadataSql()).contains("metadata @>");
    }

    @Test
    void conditionsAreValuesThatComposeWithoutChangingEachOther() {
        EventWhere base = EventWhere.of("acme", EventFilter.none());
        EventWhere later = base.occurredBefore(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(base.sql()).isEqualTo("tenant = :tenant");
        assertThat(later.sql()).startsWith("tenant = :tenant and occurred_at < :");
        assertThat(later.parameters()).hasSize(2);
    }

    @Test
    void holdsMatchAnyOfTheirFiltersUnderNamesOfTheirOwn() {
        EventFilter alice = FilterParser.parse(Map.of("actorId", List.of("alice")), Set.of());
        EventFilter bob = FilterParser.parse(Map.of("actorId", List.of("bob")), Set.of());
        EventWhere pass = EventWhere.of("acme", alice).inCategory("auth");
        EventWhere kept = pass.matchedByNone(List.of(alice, bob));
        assertThat(kept.sql()).contains("not coalesce(((actor_id = :h0_actorId) or (actor_id = :h1_actorId)), false)");
        assertThat(kept.parameters()).containsEntry("actorId", "alice").containsEntry("h0_actorId", "alice")
                .containsEntry("h1_actorId", "bob");
        assertThat(pass.matchedByNone(List.of())).isSameAs(pass);
        assertThat(pass.matchedByAny(List.of()).sql()).endsWith(" and false");
    }

    @Test
    void aRatioCountsItsOutcomeWithinTheSameEventsWithoutIt() {
        EventFilter failedLogins = FilterParser.parse(Map.of("action", List.of("user.login"),
                "outcome", List.of("failure")), Set.of());
        assertThat(failedLogins.withoutOutcome().outcome()).isEmpty();
        assertThat(failedLogins.withoutOutcome().action()).contains("user.login");
        assertThat(EventWhere.matching(failedLogins.outcomeOnly(), "m_").sql()).isEqualTo("outcome = :m_outcome");
        assertThat(EventWhere.matching(EventFilter.none(), "m_").sql()).isEqualTo("true");
    }

    @Test
    void groupsAreNamedAsTheApiNamesThem() {
        assertThat(EventGroup.fromWire("actorId")).contains(EventGroup.ACTOR_ID);
        assertThat(EventGroup.fromWire("day").orElseThrow().byTime()).isTrue();
        assertThat(EventGroup.fromWire("nope")).isEmpty();
    }
}
