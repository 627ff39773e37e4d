package org.auditlog.ingest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.auditlog.access.Requester;
import org.auditlog.common.Problem;
import org.auditlog.common.Rejection;
import org.auditlog.common.Timestamps;
import org.auditlog.event.EventDraft;
import org.auditlog.trail.Appended;
import org.auditlog.trail.EventSink;

/** Turns request bodies into appended events: all valid or nothing stored, the tenant always the key's. */
public final class IngestService {
    private final EventValidator validator;
    private final EventSink sink;
    private final int maxBatchSize;

    public IngestService(EventValidator validator, EventSink sink, int maxBatchSize) {
        this.validator = requireNonNull(validator, "validator is null");
        this.sink = requireNonNull(sink, "sink is null");
        this.maxBatchSize = maxBatchSize;
    }

    public Appended ingestOne(Requester requester, JsonNode body) {
        List<Problem> problems = new ArrayList<>();
        Optional<EventDraft> draft = validator.validate(body, Timestamps.now(), "", problems);
        if (draft.isEmpty()) {
            throw Rejection.invalid(problems);
        }
        return sink.append(requester.tenant(), List.of(draft.get())).get(0);
    }

    public List<Appended> ingestBatch(Requester requester, JsonNode body) {
        List<Problem> problems = new ArrayList<>();
        if (!body.isObject()) {
            throw Rejection.invalid(List.of(new Problem("", "must be a JSON object with an events array")));
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!name.equals("events")) {
                problems.add(new Problem(name, "unknown field"));
            }
        });
        JsonNode events = body.get("events");
        if (events == null || !events.isArray()) {
            problems.add(new Problem("events", "is required and must be an array"));
            throw Rejection.invalid(problems);
        }
        if (events.isEmpty() || events.size() > maxBatchSize) {
            problems.add(new Problem("events", "must hold 1 to " + maxBatchSize + " events, not " + events.size()));
            throw Rejection.invalid(problems);
        }
        Instant receivedAt = Timestamps.now();
        List<EventDraft> drafts = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            validator.validate(events.get(i), receivedAt, "events[" + i + "]", problems).ifPresent(drafts::add);
        }
        if (!problems.isEmpty()) {
            throw Rejection.invalid(problems);
        }
        return sink.append(requester.tenant(), drafts);
    }
}
