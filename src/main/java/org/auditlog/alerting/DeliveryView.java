package org.auditlog.alerting;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.UUID;
import org.auditlog.common.Timestamps;

/**
 * One notification of an alert to one channel, as the delivery log shows it: where it stands and
 * every attempt made. {@code nextAttemptAt} is set while it is pending. Errors are the sender's own
 * words, which never hold the channel's secret. {@code requestId}: the request, or the job's run, whose
 * evaluation fired the alert; sent with each attempt as {@code X-Request-Id}.
 */
@JsonPropertyOrder({"id", "alertId", "channelId", "kind", "status", "createdAt", "updatedAt", "nextAttemptAt", "lastError",
        "requestId", "attempts"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DeliveryView(UUID id, UUID alertId, UUID channelId, String kind, String status, String createdAt,
                           String updatedAt, String nextAttemptAt, String lastError, String requestId,
                           List<AttemptView> attempts) {

    /** One attempt: when it started, whether the channel took it, the HTTP status (webhooks), the error and how long it took. */
    @JsonPropertyOrder({"attempt", "at", "ok", "statusCode", "error", "durationMs"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record AttemptView(int attempt, String at, boolean ok, Integer statusCode, String error, long durationMs) {
        static AttemptView of(DeliveryDao.Attempt attempt) {
            return new AttemptView(attempt.attempt(), Timestamps.format(attempt.attemptedAt()), attempt.ok(),
                    attempt.statusCode(), attempt.error(), attempt.durationMs());
        }
    }

    static DeliveryView of(DeliveryDao.Logged delivery, List<DeliveryDao.Attempt> attempts) {
        return new DeliveryView(delivery.id(), delivery.alertId(), delivery.channelId(), delivery.kind(), delivery.status(),
                Timestamps.format(delivery.createdAt()), Timestamps.format(delivery.updatedAt()),
                delivery.status().equals("pending") ? Timestamps.format(delivery.nextAttemptAt()) : null,
                delivery.lastError(), delivery.requestId(), attempts.stream().map(AttemptView::of).toList());
    }
}
