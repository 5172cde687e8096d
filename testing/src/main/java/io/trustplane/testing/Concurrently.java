package io.trustplane.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Sends the same request from several threads at once, as a client retrying in parallel does. */
public final class Concurrently {

    private Concurrently() {
    }

    /** Runs {@code call} {@code times} times at once; the results in no particular order. */
    public static <T> List<T> run(int times, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(times);
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(Collections.nCopies(times, call))) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
