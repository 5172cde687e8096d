package io.trustplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.trustplane.client.Model.Lease;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The lease service's leases: acquire, renew, release, look up, fencing checks, and leases kept alive. */
public final class Leases {

    private final TrustplaneClient.Core core;
    private final Duration deadline;

    Leases(TrustplaneClient.Core core, Duration deadline) {
        this.core = core;
        this.deadline = deadline;
    }

    Leases withDeadline(Duration d) {
        return new Leases(core, d);
    }

    /** Acquires the lease on (taskId, phase); {@code ttlSeconds} null takes the service's default. */
    public Lease acquire(String taskId, Phase phase, Integer ttlSeconds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("taskId", taskId);
        body.put("phase", Objects.requireNonNull(phase, "phase"));
        if (ttlSeconds != null) {
            body.put("ttlSeconds", ttlSeconds);
        }
        return core.transport.call(Routes.LEASE_ACQUIRE, Routes.LEASE_ACQUIRE.path(), body, deadline, Lease.class);
    }

    /**
     * Acquires the lease and keeps it alive until {@link LeaseHandle#close()} (which releases it) or until it is
     * lost ({@code listener} is told).
     */
    public LeaseHandle hold(String taskId, Phase phase, Integer ttlSeconds, LeaseListener listener) {
        return keep(acquire(taskId, phase, ttlSeconds), ttlSeconds, listener);
    }

    /** Keeps an already granted lease alive (e.g. one a transition handed over). */
    public LeaseHandle keep(Lease lease, Integer ttlSeconds, LeaseListener listener) {
        LeaseHandle handle = new LeaseHandle(this, core, lease, ttlSeconds, Objects.requireNonNull(listener, "listener"));
        handle.start();
        return handle;
    }

    public Lease renew(String leaseId, Integer ttlSeconds) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (ttlSeconds != null) {
            body.put("ttlSeconds", ttlSeconds);
        }
        return core.transport.call(Routes.LEASE_RENEW, Routes.LEASE_RENEW.expand(leaseId), body, deadline, Lease.class);
    }

    public Lease release(String leaseId) {
        return core.transport.call(Routes.LEASE_RELEASE, Routes.LEASE_RELEASE.expand(leaseId), null, deadline, Lease.class);
    }

    /** An operator's release of someone else's lease; its holder is told {@code lease.lost}. */
    public Lease forceRelease(String leaseId, String reason) {
        return core.transport.call(Routes.LEASE_FORCE_RELEASE, Routes.LEASE_FORCE_RELEASE.expand(leaseId),
                Map.of("reason", reason), deadline, Lease.class);
    }

    public Lease get(String leaseId) {
        return core.transport.call(Routes.LEASE_GET, Routes.LEASE_GET.expand(leaseId), null, deadline, Lease.class);
    }

    /** Live leases on a task (and phase, when given); an agent sees only its own. */
    public List<Lease> find(String taskId, Phase phase) {
        String q = Routes.LEASE_QUERY.path() + "?taskId=" + Query.encode(taskId) + (phase == null ? "" : "&phase=" + phase);
        return core.transport.call(Routes.LEASE_QUERY, q, null, deadline,
                core.transport.json().getTypeFactory().constructCollectionType(List.class, Lease.class));
    }

    /** Whether {@code fencingToken} is still the current one for (taskId, phase). */
    public JsonNode fencingCheck(String taskId, Phase phase, long fencingToken) {
        return core.transport.call(Routes.FENCING_CHECK, Routes.FENCING_CHECK.path(),
                Map.of("taskId", taskId, "phase", phase, "fencingToken", fencingToken), deadline, JsonNode.class);
    }
}
