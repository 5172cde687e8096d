package io.trustplane.gate.repository;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs a reactive pipeline from a test thread on a duplicated Vert.x context, where Hibernate Reactive sessions must
 * live (as a request's do), and waits for its outcome.
 */
final class OnVertx {

    private OnVertx() {
    }

    static <T> T await(Vertx vertx, Supplier<Uni<T>> work) throws Throwable {
        CompletableFuture<T> done = new CompletableFuture<>();
        Context context = VertxContext.getOrCreateDuplicatedContext(vertx);
        // a request's context is flagged safe (isolated) by Quarkus; Hibernate Reactive's session factory checks it
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(x -> {
            try {
                work.get().subscribe().with(done::complete, done::completeExceptionally);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }
}
