package io.trustplane.client;

import io.trustplane.client.Model.Lease;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A lease the client keeps alive: it renews after a third of the remaining time (so two thirds are left for a slow
 * or retried renewal), stops at the renewal limit, exposes the current fencing token, and tells its
 * {@link LeaseListener} when the lease is lost (an operator's release or an expiry seen on the event stream, or a
 * refused renewal). A transition that hands the lease to the next phase is {@linkplain #adopt adopted}.
 */
public final class LeaseHandle implements AutoCloseable {

    private static final long MIN_DELAY_MS = 50;
    private static final long RETRY_DELAY_MS = 250;

    private final Leases leases;
    private final TrustplaneClient.Core core;
    private final LeaseListener listener;
    private final Integer ttlSeconds;
    private Lease lease;
    private long receivedAtNanos;
    private LeaseListener.Reason lost;
    private boolean limitReached;
    private boolean closed;
    private ScheduledFuture<?> next;

    LeaseHandle(Leases leases, TrustplaneClient.Core core, Lease lease, Integer ttlSeconds, LeaseListener listener) {
        this.leases = leases;
        this.core = core;
        this.lease = lease;
        this.ttlSeconds = ttlSeconds;
        this.listener = listener;
        this.receivedAtNanos = System.nanoTime();
    }

    void start() {
        core.watcher().register(lease.leaseId(), this);
        synchronized (this) {
            scheduleRenewal();
        }
    }

    /** The lease as last granted or renewed. */
    public synchronized Lease lease() {
        return lease;
    }

    /** The fencing token to present with every write the lease guards. */
    public synchronized long fencingToken() {
        return lease.fencingToken();
    }

    /** Why the lease was lost, or null while it is held. */
    public synchronized LeaseListener.Reason lost() {
        return lost;
    }

    public synchronized boolean isHeld() {
        return lost == null && !closed;
    }

    /** Whether the client's lease-event stream is live, so an operator's release reaches the listener at once. */
    public boolean isWatched() {
        return core.watcher().subscribed();
    }

    /** Takes over the lease a transition handed to the next phase: renewals and the fencing token follow it. */
    public void adopt(Lease handedOver) {
        String old;
        synchronized (this) {
            if (lost != null || closed) {
                return;
            }
            old = lease.leaseId();
            lease = handedOver;
            receivedAtNanos = System.nanoTime();
            limitReached = false;
            cancel();
            scheduleRenewal();
        }
        core.watcher().rekey(old, handedOver.leaseId(), this);
    }

    private void scheduleRenewal() {
        long remaining = remainingMs();
        if (limitReached) {
            next = core.scheduler().schedule(() -> lose(LeaseListener.Reason.EXPIRED, "the renewal limit was reached "
                    + "and the lease ran out"), Math.max(0, remaining), TimeUnit.MILLISECONDS);
        } else {
            next = core.scheduler().schedule(this::renew, Math.max(MIN_DELAY_MS, remaining / 3), TimeUnit.MILLISECONDS);
        }
    }

    /** Milliseconds the current lease has left, counted from when its answer arrived. */
    private long remainingMs() {
        return lease.expiresInMs() - (System.nanoTime() - receivedAtNanos) / 1_000_000;
    }

    private void renew() {
        String leaseId;
        long remaining;
        synchronized (this) {
            if (lost != null || closed) {
                return;
            }
            leaseId = lease.leaseId();
            remaining = remainingMs();
        }
        if (remaining <= 0) {
            lose(LeaseListener.Reason.EXPIRED, "renewals did not get through before the lease expired");
            return;
        }
        try {
            Lease renewed = leases.withDeadline(Duration.ofMillis(remaining)).renew(leaseId, ttlSeconds);
            synchronized (this) {
                if (lost != null || closed || !lease.leaseId().equals(leaseId)) {
                    return;
                }
                lease = renewed;
                receivedAtNanos = System.nanoTime();
                scheduleRenewal();
            }
        } catch (ConflictException e) {
            if ("renewal_limit_reached".equals(e.code())) {
                synchronized (this) {
                    limitReached = true;
                    scheduleRenewal();
                }
                listener.onRenewalLimit(this);
            } else if ("lease_expired".equals(e.code())) {
                lose(LeaseListener.Reason.EXPIRED, e.getMessage());
            } else {
                lose(LeaseListener.Reason.RENEWAL_REFUSED, e.getMessage());
            }
        } catch (ProblemException e) {
            if (e instanceof UnavailableException) {
                retrySoon();
            } else {
                lose(LeaseListener.Reason.RENEWAL_REFUSED, e.getMessage());
            }
        } catch (TrustplaneException e) {
            retrySoon();
        }
    }

    private synchronized void retrySoon() {
        if (lost == null && !closed) {
            next = core.scheduler().schedule(this::renew, RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** The event stream said the lease is gone. */
    void noticed(String type, String reason) {
        lose("lease.expired".equals(type) ? LeaseListener.Reason.EXPIRED : LeaseListener.Reason.REVOKED,
                type + (reason == null ? "" : ": " + reason));
    }

    private void lose(LeaseListener.Reason reason, String detail) {
        String leaseId;
        synchronized (this) {
            if (lost != null || closed) {
                return;
            }
            lost = reason;
            cancel();
            leaseId = lease.leaseId();
        }
        core.forget(leaseId);
        listener.onLost(this, reason, detail);
    }

    private void cancel() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }

    /** Stops renewing and releases the lease if it is still held. */
    @Override
    public void close() {
        String leaseId;
        boolean held;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            held = lost == null;
            cancel();
            leaseId = lease.leaseId();
        }
        core.forget(leaseId);
        if (held) {
            try {
                leases.release(leaseId);
            } catch (ProblemException e) {
                // already gone (expired or taken away meanwhile): nothing left to release
            }
        }
    }
}
