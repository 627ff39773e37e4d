package org.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.auditlog.common.Problem;
import org.auditlog.common.Rejection;
import org.auditlog.filter.EventGroup;
import org.junit.jupiter.api.Test;

/** Query parameters become typed requests before a service sees them; each bad one is named. */
class RequestParsingTest {
    @Test
    void aSearchDefaultsToTheNewestHundred() {
        SearchRequest request = SearchRequest.parse(Map.of("action", List.of("user.login")));
        assertThat(request.limit()).isEqualTo(100);
        assertThat(request.ascending()).isFalse();
        assertThat(request.cursor()).isEmpty();
        assertThat(request.filter().action()).contains("user.login");
    }

    @Test
    void eachBadParameterIsNamedInTheOrderTheyAreChecked() {
        assertThat(problem(Map.of("limit", List.of("0"), "order", List.of("sideways"))).field()).isEqualTo("limit");
        assertThat(problem(Map.of("limit", List.of("1001"))).field()).isEqualTo("limit");
        assertThat(problem(Map.of("limit", List.of("ten"))).field()).isEqualTo("limit");
        assertThat(problem(Map.of("order", List.of("sideways"))).field()).isEqualTo("order");
        assertThat(problem(Map.of("cursor", List.of("a", "b"))).field()).isEqualTo("cursor");
        assertThat(SearchRequest.parse(Map.of("limit", List.of("1000"), "order", List.of("asc"))).ascending()).isTrue();
    }

    @Test
    void statisticsNeedAGroupTheyOffer() {
        assertThat(StatsRequest.parse(Map.of("groupBy", List.of("day"))).groupBy()).isEqualTo(EventGroup.DAY);
        for (Map<String, List<String>> bad : List.of(Map.<String, List<String>>of(), Map.of("groupBy", List.of("colour")))) {
            Rejection rejection = catchThrowableOfType(Rejection.class, () -> StatsRequest.parse(bad));
            assertThat(rejection.kind()).isEqualTo(Rejection.Kind.MALFORMED);
            assertThat(rejection.details()).extracting(Problem::field).containsExactly("groupBy");
        }
    }

    private static Problem problem(Map<String, List<String>> parameters) {
        Rejection rejection = catchThrowableOfType(Rejection.class, () -> SearchRequest.parse(parameters));
        assertThat(rejection.kind()).isEqualTo(Rejection.Kind.MALFORMED);
        return rejection.details().get(0);
    }
}
