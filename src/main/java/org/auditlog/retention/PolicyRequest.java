package org.auditlog.retention;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.auditlog.common.Problem;
import org.auditlog.common.Rejection;
import org.auditlog.common.RequestBodies;

/** A retention policy to set: the category ({@code *} for the default) and how many days it is kept. */
public record PolicyRequest(String category, int retainDays) {
    public PolicyRequest {
        requireNonNull(category, "category is null");
        if (retainDays < 1) {
            throw new IllegalArgumentException("retainDays must be at least 1");
        }
    }

    /** From the category in the path and a request body {@code {"retainDays": N}}; a bad one is named. */
    public static PolicyRequest parse(String category, JsonNode body) {
        if (!category.equals(RetentionPolicy.DEFAULT_CATEGORY) && !category.matches("[a-z0-9_]{1,64}")) {
            throw Rejection.invalid(List.of(new Problem("category", "must be * or 1 to 64 of a-z, 0-9 and _")));
        }
        RequestBodies.object(body, List.of("retainDays"));
        JsonNode days = body.get("retainDays");
        if (days == null || !days.canConvertToInt() || !days.isIntegralNumber() || days.intValue() < 1) {
            throw Rejection.invalid(List.of(new Problem("retainDays", "must be a whole number of days, at least 1")));
        }
        return new PolicyRequest(category, days.intValue());
    }
}
