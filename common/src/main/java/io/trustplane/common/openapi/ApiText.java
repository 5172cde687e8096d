package io.trustplane.common.openapi;

/**
 * Sentences the OpenAPI documents repeat on many operations, written once; constants so annotations can use them
 * (e.g. {@code description = "`task_exists`: a task with this id exists; " + ApiText.IDEMPOTENCY_CONFLICTS}).
 */
public final class ApiText {

    /** The two 409 codes every {@code @Idempotent} route can answer, as "`code`: when". */
    public static final String IDEMPOTENCY_CONFLICTS = "`idempotency_key_reused`: this `Idempotency-Key` was used for a "
            + "different request; `idempotency_in_progress`: the first request with this key is still running";

    private ApiText() {
    }
}
