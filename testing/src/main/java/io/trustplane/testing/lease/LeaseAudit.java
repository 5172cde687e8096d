package io.trustplane.testing.lease;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lease-safety proof over lease-service's tables, for the runs that load a real suite (chaos, containers): per
 * key, fencing tokens 1, 2, 3… in grant order, each granted after the one before and no earlier than it stopped being
 * valid, and the key's counter at its last token; and every grant, release and force-release a client was told of,
 * stored as told. Counts what it finds and keeps the first few findings as samples.
 */
public final class LeaseAudit {

    private static final int MAX_SAMPLES = 15;

    /** One row of the lease table. A lease is valid from its grant until it lapsed or ended, whichever came first. */
    public record Row(String key, String leaseId, String holder, long token, OffsetDateTime acquiredAt,
            OffsetDateTime expiresAt, OffsetDateTime endedAt, String status) {

        public OffsetDateTime validUntil() {
            if (endedAt == null || status.equals("ACTIVE")) {
                return expiresAt;
            }
            return endedAt.isBefore(expiresAt) ? endedAt : expiresAt;
        }
    }

    private final Map<String, List<Row>> byKey = new LinkedHashMap<>();
    private final Map<String, Row> byId = new HashMap<>();
    private final List<String> samples = new ArrayList<>();
    private long overlaps;
    private long tokenProblems;
    private long missing;

    /** Adds a row; each key's rows come in fencing-token order. */
    public void add(Row row) {
        byKey.computeIfAbsent(row.key(), k -> new ArrayList<>()).add(row);
        byId.put(row.leaseId(), row);
    }

    /** The rows by key, in token order. */
    public Map<String, List<Row>> byKey() {
        return byKey;
    }

    /** The row of a lease id, null when there is none. */
    public Row row(String leaseId) {
        return byId.get(leaseId);
    }

    public int keys() {
        return byKey.size();
    }

    public long leases() {
        return byId.size();
    }

    public long overlaps() {
        return overlaps;
    }

    public long tokenProblems() {
        return tokenProblems;
    }

    public long missing() {
        return missing;
    }

    public List<String> samples() {
        return samples;
    }

    /** Two holders valid at once, found by a check of the caller's own. */
    public void overlap(String finding) {
        overlaps++;
        sample(finding);
    }

    /** An acknowledged change not stored as told, found by a check of the caller's own. */
    public void missing(String finding) {
        missing++;
        sample(finding);
    }

    /** Every key's token sequence and validity windows, and its fencing counter ({@code lastTokens} by key). */
    public void checkKeys(Map<String, Long> lastTokens) {
        for (Map.Entry<String, List<Row>> e : byKey.entrySet()) {
            List<Row> rows = e.getValue();
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                if (r.token() != i + 1) {
                    tokenProblem(e.getKey() + ": token " + r.token() + " at position " + (i + 1)
                            + " (tokens must be 1, 2, 3, ... without gaps or repeats)");
                }
                if (i > 0) {
                    Row prev = rows.get(i - 1);
                    if (!r.acquiredAt().isAfter(prev.acquiredAt())) {
                        tokenProblem(e.getKey() + ": token " + r.token() + " granted at " + r.acquiredAt()
                                + ", not after token " + prev.token() + " at " + prev.acquiredAt());
                    }
                    if (prev.validUntil().isAfter(r.acquiredAt())) {
                        overlap(e.getKey() + ": token " + prev.token() + " (" + prev.holder() + ") valid until "
                                + prev.validUntil() + " overlaps token " + r.token() + " (" + r.holder()
                                + ") granted at " + r.acquiredAt());
                    }
                }
            }
            Long last = lastTokens.get(e.getKey());
            if (last == null || last != rows.size()) {
                tokenProblem(e.getKey() + ": fencing counter " + last + " but " + rows.size() + " grants");
            }
        }
    }

    /** A grant the client was answered ({@code grant} describes it in a finding) is stored with its key, holder and token. */
    public void checkGrant(String leaseId, String key, String holder, long token, Object grant) {
        Row r = byId.get(leaseId);
        if (r == null || r.token() != token || !r.holder().equals(holder) || !r.key().equals(key)) {
            missing("acknowledged grant " + grant + " is " + (r == null ? "missing" : "stored as " + r));
        }
    }

    /** An acknowledged release is stored as RELEASED. */
    public void checkReleased(String leaseId) {
        Row r = byId.get(leaseId);
        if (r == null || !r.status().equals("RELEASED")) {
            missing("acknowledged release of " + leaseId + " is " + (r == null ? "missing" : r.status()));
        }
    }

    /** An acknowledged force-release is stored as FORCE_RELEASED; {@code ledgered}: and the ledger says so. */
    public void checkForceReleased(String leaseId, boolean ledgered) {
        Row r = byId.get(leaseId);
        if (r == null || !r.status().equals("FORCE_RELEASED") || !ledgered) {
            missing("acknowledged force-release of " + leaseId + " is " + (r == null ? "missing"
                    : r.status() + (ledgered ? "" : ", not in the ledger")));
        }
    }

    private void tokenProblem(String finding) {
        tokenProblems++;
        sample(finding);
    }

    private void sample(String finding) {
        if (samples.size() < MAX_SAMPLES) {
            samples.add(finding);
        }
    }
}
