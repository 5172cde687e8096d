package io.trustplane.bench.jmh;

import io.trustplane.lease.domain.Canonical;
import io.trustplane.lease.domain.LedgerChain;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Ledger append, in-process part: the canonical JSON of a TRANSITION entry's body and its chain hash
 * {@code SHA-256(body || prevHash)}, each entry linking to the one before, as LedgerRepository.append does
 * between reading the last hash and inserting the row.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LedgerBench {

    private Map<String, Object> data;
    private long seq;
    private String prev;

    @Setup
    public void setup() {
        data = Fixtures.transitionData();
        seq = 1;
        prev = LedgerChain.hash(Canonical.json(body(0, "GENESIS", Map.of("taskId", Fixtures.TASK_ID))),
                LedgerChain.GENESIS_PREV);
    }

    @Benchmark
    public String appendHash() {
        String hash = LedgerChain.hash(Canonical.json(body(seq, "TRANSITION", data)), prev);
        prev = hash;
        seq++;
        return hash;
    }

    /** The body members the lease-service hashes for one entry (see LedgerRepository.insert). */
    private static Map<String, Object> body(long seq, String kind, Map<String, Object> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("seq", seq);
        body.put("taskId", Fixtures.TASK_ID);
        body.put("kind", kind);
        body.put("actor", Fixtures.AGENT_ID);
        body.put("time", Fixtures.TIME);
        body.put("data", data);
        return body;
    }
}
