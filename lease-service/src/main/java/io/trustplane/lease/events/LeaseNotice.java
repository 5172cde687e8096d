package io.trustplane.lease.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.trustplane.lease.service.Lease;

/**
 * What an SSE subscriber is told: {@code type} is {@code lease.expired} or {@code lease.lost} (taken away by an
 * operator), or {@code subscribed} once the stream is live.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LeaseNotice(String type, String leaseId, String taskId, String phase, String holder, Long fencingToken,
        String reason) {

    public static LeaseNotice of(String type, Lease lease, String reason) {
        return new LeaseNotice(type, lease.leaseId(), lease.taskId(), lease.phase().name(), lease.holder(),
                lease.fencingToken(), reason);
    }

    public static LeaseNotice subscribed(String caller) {
        return new LeaseNotice("subscribed", null, null, null, caller, null, null);
    }
}
