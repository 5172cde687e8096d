package io.trustplane.chaos;

import io.trustplane.launcher.Suite;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One service's share of the load: a step is one write (or a short write sequence) by one worker, and every
 * acknowledged (2xx) write is remembered so that {@link #verify} can read it back after the faults.
 * Worker {@code i} talks to target {@code i % targets}; a target is a service instance (port).
 */
abstract class Workload {

    /** What {@link #verify} found. */
    record Verification(String workload, long checked, long lost, long duplicates, List<String> samples) {
    }

    protected final Cluster cluster;
    protected final String tag;
    private final List<Integer> targets = new CopyOnWriteArrayList<>();
    private final AtomicLong acknowledged = new AtomicLong();

    Workload(Cluster cluster, String tag, Suite.Running... instances) {
        this.cluster = cluster;
        this.tag = tag;
        for (Suite.Running r : instances) {
            targets.add(r.port());
        }
    }

    abstract String service();

    /** One unit of work by {@code worker}; the {@code n}-th of that worker. */
    abstract void step(int worker, long n);

    /** Reads every acknowledged write back (after recovery) and reports what is missing or doubled. */
    abstract Verification verify() throws Exception;

    void addTarget(Suite.Running instance) {
        targets.add(instance.port());
    }

    protected String baseUrl(int worker) {
        return "http://127.0.0.1:" + targets.get(worker % targets.size());
    }

    protected String tallyKey(int worker) {
        return service() + ":" + targets.get(worker % targets.size());
    }

    protected void acknowledged(long n) {
        acknowledged.addAndGet(n);
    }

    /** Acknowledged writes so far. */
    long acks() {
        return acknowledged.get();
    }
}
