package io.trustplane.client;

/**
 * Told when a held lease ends without the holder releasing it. Called on the client's lease thread (or its event
 * stream's thread): return quickly, and stop the work the lease guarded.
 */
@FunctionalInterface
public interface LeaseListener {

    /** Why a lease was lost. */
    enum Reason {
        /** An operator took it away ({@code lease.lost} on the event stream). */
        REVOKED,
        /** Its time ran out: the renewal limit was reached, or renewals could not get through in time. */
        EXPIRED,
        /** The service refused a renewal: the lease is no longer the caller's. */
        RENEWAL_REFUSED
    }

    void onLost(LeaseHandle handle, Reason reason, String detail);

    /** The lease reached its renewal limit: it is kept until it expires, then {@link #onLost} follows. */
    default void onRenewalLimit(LeaseHandle handle) {
    }
}
