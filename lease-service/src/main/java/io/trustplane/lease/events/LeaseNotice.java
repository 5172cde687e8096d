package io.trustplane.lease.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.trustplane.common.events.UuidV7;
import io.trustplane.lease.domain.Lease;

/**
 * What an SSE subscriber is told: {@code type} is {@code lease.expired} or {@code lease.lost} (taken away by an
 * operator), {@code subscribed} once the stream is live, or {@code heartbeat}. {@code id} identifies a notice so a
 * replica that hears it twice (locally and over Redis) delivers it once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LeaseNotice(String id, String type, String leaseId, String taskId, String phase, String holder, Long fencingToken,
        String reason) {

    public static LeaseNotice of(String type, Lease lease, String reason) {
        return new LeaseNotice(UuidV7.next().toString(), type, lease.leaseId(), lease.taskId(), lease.phase().name(), lease.holder(),
                lease.fencingToken(), reason);
    }

    public static LeaseNotice heartbeat() {
        return new LeaseNotice(null, "heartbeat", null, null, null, null, null, null);
    }

    public static LeaseNotice subscribed(String caller) {
        return new LeaseNotice(null, "subscribed", null, null, null, caller, null, null);
    }
}
