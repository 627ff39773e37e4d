package org.auditlog.alerting;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(DeliveryDao.Due.class)
@RegisterConstructorMapper(DeliveryDao.Logged.class)
@RegisterConstructorMapper(DeliveryDao.Attempt.class)
public interface DeliveryDao {
    /** A delivery taken for an attempt. */
    record Due(UUID id, String tenant, @ColumnName("channel_id") UUID channelId, String kind, String payload,
               int attempts, @ColumnName("request_id") String requestId) {
    }

    /** Enqueues a delivery, unless the channel has been deleted since the rule named it. */
    @SqlUpdate("insert into alert_deliveries (id, tenant, alert_id, channel_id, kind, payload, status, next_attempt_at, "
            + "created_at, updated_at, request_id) "
            + "select :id, :tenant, :alertId, :channelId, :kind, :payload, 'pending', :now, :now, :now, :requestId "
            + "where exists (select 1 from alert_channels where id = :channelId and tenant = :tenant and deleted_at is null)")
    void enqueue(@Bind("id") UUID id, @Bind("tenant") String tenant, @Bind("alertId") UUID alertId,
                 @Bind("channelId") UUID channelId, @Bind("kind") String kind, @Bind("payload") String payload,
                 @Bind("now") Instant now, @Bind("requestId") String requestId);

    /**
     * Takes due deliveries, of tenants other than {@code busy}, for a lease, so no other instance
     * tries them at the same time.
     */
    @SqlQuery("update alert_deliveries set next_attempt_at = :leaseUntil, updated_at = :now where id in ("
            + "select id from alert_deliveries where status = 'pending' and next_attempt_at <= :now "
            + "and tenant <> all(cast(:busy as text[])) "
            + "order by next_attempt_at limit :limit for update skip locked) "
            + "returning id, tenant, channel_id, kind, payload, attempts, request_id")
    List<Due> take(@Bind("now") Instant now, @Bind("leaseUntil") Instant leaseUntil, @Bind("limit") int limit,
                   @Bind("busy") String[] busy);

    /** Gives back taken deliveries that were not started, due again at once. */
    @SqlUpdate("update alert_deliveries set next_attempt_at = :now, updated_at = :now where id = any(:ids) "
            + "and status = 'pending'")
    void release(@Bind("ids") UUID[] ids, @Bind("now") Instant now);

    /** Cancels the deliveries of a channel not yet sent (the channel was deleted); answers how many. */
    @SqlUpdate("update alert_deliveries set status = 'cancelled', last_error = :reason, updated_at = :now "
            + "where channel_id = :channelId and status = 'pending'")
    int cancelForChannel(@Bind("channelId") UUID channelId, @Bind("reason") String reason, @Bind("now") Instant now);

    @SqlUpdate("insert into alert_delivery_attempts (delivery_id, attempt, attempted_at, ok, status_code, error, duration_ms) "
            + "values (:id, :attempt, :at, :ok, :statusCode, :error, :durationMs)")
    void logAttempt(@Bind("id") UUID id, @Bind("attempt") int attempt, @Bind("at") Instant at, @Bind("ok") boolean ok,
                    @Bind("statusCode") Integer statusCode, @Bind("error") String error, @Bind("durationMs") long durationMs);

    @SqlUpdate("update alert_deliveries set status = 'delivered', attempts = :attempts, last_error = null, "
            + "updated_at = :now where id = :id")
    void delivered(@Bind("id") UUID id, @Bind("attempts") int attempts, @Bind("now") Instant now);

    /** Records a failed attempt, unless the delivery was cancelled meanwhile. */
    @SqlUpdate("update alert_deliveries set status = :status, attempts = :attempts, last_error = :error, "
            + "next_attempt_at = :next, updated_at = :now where id = :id and status = 'pending'")
    void failed(@Bind("id") UUID id, @Bind("status") String status, @Bind("attempts") int attempts,
                @Bind("error") String error, @Bind("next") Instant next, @Bind("now") Instant now);

    /** Channels whose last two or more attempts, within the last hour, all failed. */
    @SqlQuery("select distinct d.channel_id::text from alert_deliveries d where d.updated_at > now() - interval '1 hour' "
            + "and d.status in ('pending', 'failed') and d.attempts >= 2")
    List<String> failingChannels();

    /** A delivery as the delivery log shows it. */
    record Logged(UUID id, @ColumnName("alert_id") UUID alertId, @ColumnName("channel_id") UUID channelId, String kind,
                  String status, @ColumnName("next_attempt_at") Instant nextAttemptAt, @ColumnName("last_error") String lastError,
                  @ColumnName("created_at") Instant createdAt, @ColumnName("updated_at") Instant updatedAt,
                  @ColumnName("request_id") String requestId) {
    }

    /** One attempt of a delivery. */
    record Attempt(@ColumnName("delivery_id") UUID deliveryId, int attempt, @ColumnName("attempted_at") Instant attemptedAt,
                   boolean ok, @ColumnName("status_code") Integer statusCode, String error,
                   @ColumnName("duration_ms") long durationMs) {
    }

    /**
     * The tenant's deliveries, newest first, after the one at {@code (afterAt, afterId)} when given;
     * each filter applies when not null.
     */
    @SqlQuery("select id, alert_id, channel_id, kind, status, next_attempt_at, last_error, created_at, updated_at, "
            + "request_id from alert_deliveries where tenant = :tenant "
            + "and (cast(:channelId as uuid) is null or channel_id = :channelId) "
            + "and (cast(:alertId as uuid) is null or alert_id = :alertId) "
            + "and (cast(:status as text) is null or status = :status) "
            + "and (cast(:afterAt as timestamptz) is null or (created_at, id) < (:afterAt, :afterId)) "
            + "order by created_at desc, id desc limit :limit")
    List<Logged> page(@Bind("tenant") String tenant, @Bind("channelId") UUID channelId, @Bind("alertId") UUID alertId,
                      @Bind("status") String status, @Bind("afterAt") Instant afterAt, @Bind("afterId") UUID afterId,
                      @Bind("limit") int limit);

    /** The attempts of these deliveries, in the order they were made. */
    @SqlQuery("select delivery_id, attempt, attempted_at, ok, status_code, error, duration_ms from alert_delivery_attempts "
            + "where delivery_id = any(:ids) order by delivery_id, attempt, id")
    List<Attempt> attempts(@Bind("ids") UUID[] ids);
}
