package io.trustplane.common.idempotency;

import jakarta.ws.rs.NameBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a mutating route that honours {@code Idempotency-Key} (see {@link IdempotencyFilters}); routes without
 * it ignore the header and pay nothing for it. A route that creates durable rows keeps its keys in the service's
 * PostgreSQL ({@link Store#POSTGRESQL}, the default, or inside its own transaction: {@link Store#TRANSACTION}); a hot
 * decision route whose outcome lives in Redis anyway
 * (ceiling checks, evaluations) keeps them in Redis.
 */
@NameBinding
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface Idempotent {

    Store value() default Store.POSTGRESQL;

    /** Where the keys of a route are kept. */
    enum Store {
        /** The service's {@code idempotency_keys} table: survives Redis and service restarts. */
        POSTGRESQL,
        /**
         * The service's {@code idempotency_keys} table, claimed and answered inside the route's creating transaction
         * ({@link IdempotentTransactions}): the key and what it created commit together, so no crash or concurrent
         * retry can create twice. The route's service must run its creating transaction through
         * {@link IdempotentTransactions#withTransaction}.
         */
        TRANSACTION,
        /**
         * The service's {@code idempotency_keys} table, claimed before the route runs (as {@link #POSTGRESQL}); the
         * route's creating transaction links the key to what it creates ({@link IdempotentTransactions#runLinked},
         * {@link IdempotentTransactions#linkTo}), so key and creation commit together although the answer is stored
         * only later. A retry that finds the key linked but unanswered (the process died, or the first answer was a
         * 503 while the creation was still completing) is handed the linked reference
         * ({@link IdempotentTransactions#resumed}) and answers from what was created, never creating again. For
         * routes whose answer waits for more than their transaction (provenance create waits for the sequencer) or
         * whose work before the creation must not run twice (tool-call decisions consume a ceiling).
         */
        LINKED,
        /** Redis (append-only file): for hot routes that already depend on Redis for their answer. */
        REDIS
    }
}
