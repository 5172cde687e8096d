package io.trustplane.common.idempotency;

import io.smallrye.mutiny.Uni;

/** Where {@link IdempotencyFilters} holds keys and first answers; one implementation per {@link Idempotent.Store}. */
interface IdempotencyStore {

    /**
     * Holds {@code key} for a first attempt. Completes with null when this request holds it now, or with what the
     * key already holds: the fingerprint of its request and, once that finished, its answer.
     */
    Uni<Held> claim(String key, String fingerprint);

    /** Keeps the first attempt's successful answer for replays. */
    Uni<Void> complete(String key, Held answer);

    /** Frees the key of a refused or failed first attempt, so a retry runs. */
    Uni<Void> release(String key, String fingerprint);

    /** What a key holds: a running first attempt ({@code status} 0) or its answer. */
    record Held(String fingerprint, int status, String type, String location, String body) {

        boolean finished() {
            return status != 0;
        }
    }
}
