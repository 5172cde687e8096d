package io.trustplane.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs workloads with a few client threads each until closed. Each thread paces itself (a pause after every
 * step) so the load stays modest on a shared two-core machine and outages do not turn into busy loops.
 */
final class Load implements AutoCloseable {

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    Load(List<Workload> workloads, int workersEach, Duration pace) {
        for (Workload w : workloads) {
            for (int i = 0; i < workersEach; i++) {
                int worker = i;
                Thread t = new Thread(() -> {
                    long n = 0;
                    while (running) {
                        try {
                            w.step(worker, n++);
                        } catch (RuntimeException e) {
                            w.cluster.tally.violation(w.service(), "client step failed: " + e);
                        }
                        LockSupport.parkNanos(pace.toNanos());
                    }
                }, "chaos-" + w.service() + "-" + i);
                t.setDaemon(true);
                threads.add(t);
            }
        }
        threads.forEach(Thread::start);
    }

    /** Stops every worker after its current step (bounded by the HTTP timeout). */
    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(Http.TIMEOUT.toSeconds() + 5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
