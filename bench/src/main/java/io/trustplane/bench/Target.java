package io.trustplane.bench;

/**
 * What a scenario is measured against: the seed system's published figure (seed 002: 4 vCPU, Node.js,
 * PostgreSQL 15, Redis 7, k6 with 100 VUs; or seed 000's in-process figure) and this project's target on
 * 2 cores with the load generator, PostgreSQL and Redis on the same machine.
 */
record Target(String seedSource, double seedOpsPerSecond, double seedP99Ms, double targetOpsPerSecond,
        double targetP99Ms) {

    static final Target NONE = new Target("", 0, 0, 0, 0);

    boolean met(Measurement m) {
        return (targetOpsPerSecond <= 0 || m.opsPerSecond() >= targetOpsPerSecond)
                && (targetP99Ms <= 0 || m.p99Ms() <= targetP99Ms)
                && m.errorRate() < 0.001;
    }
}
