package io.trustplane.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every answer the chaos clients got, judged by one rule set. Allowed: 2xx; the 4xx a workload expects; 503
 * (a dependency is down) and 429 (slow down) as problem+json with {@code Retry-After}; "unreachable" only for a
 * service that is being killed. Everything else is a violation: a 500 or other 5xx, a 503 that is not
 * problem+json or does not say when to retry, a request that got no answer within {@link Http#TIMEOUT} (a hang),
 * a connection refused by a service that should be up.
 */
final class Tally {

    private static final int SAMPLES = 25;

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Set<String> mayBeUnreachable = ConcurrentHashMap.newKeySet();
    private final List<String> violations = new ArrayList<>();
    private final LongAdder violationCount = new LongAdder();

    /** While set, connection failures to {@code service} are expected (it is being killed and restarted). */
    void expectUnreachable(String service, boolean expected) {
        if (expected) {
            mayBeUnreachable.add(service);
        } else {
            mayBeUnreachable.remove(service);
        }
    }

    /** Judges a reply that was not a success the workload consumed; returns true if it was allowed. */
    boolean judge(String service, Http.Reply r, int... expectedStatuses) {
        count(service, "requests");
        if (r.failure() == Http.Failure.TIMEOUT) {
            count(service, "timeouts");
            return violation(service, "no answer within " + Http.TIMEOUT.toSeconds() + " s: " + r);
        }
        if (r.failure() == Http.Failure.UNREACHABLE) {
            count(service, "unreachable");
            return mayBeUnreachable.contains(service) || violation(service, "service unreachable: " + r);
        }
        if (r.status() / 100 == 2) {
            count(service, "ok");
            return true;
        }
        for (int s : expectedStatuses) {
            if (r.status() == s) {
                count(service, "expected_" + s);
                return true;
            }
        }
        if ((r.status() == 503 || r.status() == 429) && r.problem()) {
            String code = r.code();
            count(service, r.status() + "_" + code);
            if (r.retryAfter() == null) {
                return violation(service, r.status() + " without Retry-After: " + r);
            }
            return true;
        }
        count(service, "status_" + r.status());
        return violation(service, "unexpected answer: " + r);
    }

    void count(String service, String what) {
        counts.computeIfAbsent(service + "." + what, k -> new LongAdder()).increment();
    }

    long get(String service, String what) {
        LongAdder a = counts.get(service + "." + what);
        return a == null ? 0 : a.sum();
    }

    /** 503 answers of one service instance so far, whatever their code. */
    long unavailable(String service) {
        return counts.entrySet().stream()
                .filter(e -> e.getKey().startsWith(service + ".503_"))
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    /** Sum of one counter over every service. */
    long total(String what) {
        return counts.entrySet().stream().filter(e -> e.getKey().endsWith("." + what))
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    synchronized boolean violation(String service, String what) {
        violationCount.increment();
        if (violations.size() < SAMPLES) {
            violations.add(service + ": " + what);
        }
        return false;
    }

    long violationCount() {
        return violationCount.sum();
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** Everything counted, sorted: for the test output and the summary file. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
