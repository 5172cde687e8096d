package io.trustplane.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.trustplane.launcher.Suite;
import io.trustplane.testing.log.C2spNote;
import io.trustplane.testing.log.Rfc9162;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Provenance records written under faults. Every 201 carries the record's leaf index, leaf hash and the signed
 * checkpoint that includes it; afterwards each acknowledged record must have an inclusion proof in the final
 * checkpoint, and every checkpoint any client ever saw must be signed and consistent with the final one
 * (tree sizes only grow, one root per size: no fork). A 503 {@code not_yet_integrated} names a queued record,
 * which must show up later. Meanwhile worker 0 reads the C2SP tiles of the tree sizes it is told (full and partial,
 * from whichever replica it targets); at the end every tile is read again and must be the same bytes: no tile ever
 * changes once served, across the kill -9 of the sequencer.
 */
final class ProvenanceWork extends Workload {

    /** An acknowledged record as its 201 described it. */
    record Ack(String id, long leafIndex, String leafHash, long treeSize) {
    }

    /** One signed checkpoint as a client saw it. */
    record Seen(long size, String note) {
    }

    private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Map<Long, Seen> checkpoints = new ConcurrentHashMap<>();
    /** Every tile path read during the run and the bytes first served for it. */
    private final Map<String, byte[]> tiles = new ConcurrentHashMap<>();

    ProvenanceWork(Cluster cluster, String tag, Suite.Running... instances) {
        super(cluster, tag, instances);
    }

    @Override
    String service() {
        return "provenance";
    }

    @Override
    void step(int worker, long n) {
        String agent = "chaos-p-" + tag + "-w" + worker;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agentId", agent);
        body.put("creationType", "FRESH");
        body.put("contentHash", "sha256:" + HexFormat.of().formatHex(
                Rfc9162.sha256((agent + "/" + n).getBytes(StandardCharsets.UTF_8))));
        body.put("metadata", Map.of("chaos", tag, "worker", worker, "n", n));
        Http.Reply r = cluster.http.post(baseUrl(worker) + "/v1/provenance", cluster.agent(agent), body);
        if (!cluster.tally.judge(tallyKey(worker), r) || !r.ok()) {
            if (r.status() == 503 && "not_yet_integrated".equals(r.code()) && r.json().hasNonNull("id")) {
                queued.add(r.json().get("id").asText());
            }
            return;
        }
        JsonNode j = r.json();
        byte[] leaf = Base64.getDecoder().decode(j.get("leaf").asText());
        String leafHash = j.get("leafHash").asText();
        if (!Base64.getEncoder().encodeToString(Rfc9162.leaf(leaf)).equals(leafHash)) {
            cluster.tally.violation(service(), "leafHash is not SHA-256(0x00 || leaf) for " + j.get("id"));
        }
        acks.add(new Ack(j.get("id").asText(), j.get("leafIndex").asLong(), leafHash, j.get("treeSize").asLong()));
        saw(j.get("treeSize").asLong(), j.get("checkpoint").asText());
        acknowledged(1);
        if (worker == 0 && n % 4 == 0) {
            readTiles(baseUrl(worker), j.get("treeSize").asLong());
        }
    }

    /** Reads the tiles a tiles client needs at {@code treeSize}; a tile served twice with other bytes is a fork. */
    private void readTiles(String baseUrl, long treeSize) {
        long full = treeSize / 256;
        int rest = (int) (treeSize % 256);
        List<String> paths = new ArrayList<>();
        if (full > 0) {
            paths.add("0/" + tileIndex(full - 1));
            paths.add("entries/" + tileIndex(full - 1));
            if (full < 256) {
                paths.add("1/000.p/" + full);
            }
        }
        if (rest > 0) {
            paths.add("0/" + tileIndex(full) + ".p/" + rest);
        }
        for (String path : paths) {
            byte[] bytes = cluster.http.getBytes(baseUrl + "/v1/log/tiles/tile/" + path, cluster.operator());
            if (bytes != null) {
                byte[] before = tiles.putIfAbsent(path, bytes);
                if (before != null && !Arrays.equals(before, bytes)) {
                    cluster.tally.violation(service(), "tile " + path + " changed after it was served");
                }
            }
        }
    }

    /** A tile index as C2SP tlog-tiles writes it: 3-digit groups, all but the last prefixed with x. */
    static String tileIndex(long n) {
        String digits = Long.toString(n);
        digits = "0".repeat((3 - digits.length() % 3) % 3) + digits;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < digits.length(); i += 3) {
            out.append(i + 3 < digits.length() ? "x" : "").append(digits, i, i + 3)
                    .append(i + 3 < digits.length() ? "/" : "");
        }
        return out.toString();
    }

    /** Remembers a checkpoint; a second, different note for the same size is a fork. */
    void saw(long size, String note) {
        Seen before = checkpoints.putIfAbsent(size, new Seen(size, note));
        if (before != null && !before.note().equals(note)) {
            cluster.tally.violation(service(), "two different checkpoints for tree size " + size);
        }
    }

    /** The latest checkpoint of {@code baseUrl}, verified, and remembered as seen. */
    C2spNote.Checkpoint checkpoint(String baseUrl) throws Exception {
        Http.Reply note = cluster.http.get(baseUrl + "/v1/log/checkpoint", cluster.agent("chaos-verifier"));
        if (note.status() != 200) {
            throw new AssertionError("no checkpoint: " + note);
        }
        C2spNote.Checkpoint c = C2spNote.verify(note.body(), key(baseUrl));
        saw(c.size(), note.body());
        return c;
    }

    private String key(String baseUrl) {
        Http.Reply key = cluster.http.get(baseUrl + "/v1/log/key", cluster.agent("chaos-verifier"));
        if (key.status() != 200) {
            throw new AssertionError("no verifier key: " + key);
        }
        return key.body().trim();
    }

    long acksChecked;
    long inclusionProofs;
    long consistencyProofs;
    long finalTreeSize;
    long tilesChecked;

    @Override
    Verification verify() throws Exception {
        String base = baseUrl(0);
        String token = cluster.operator();
        String key = key(base);
        List<String> samples = new ArrayList<>();
        AtomicLong lost = new AtomicLong();
        AtomicLong forks = new AtomicLong();

        // queued records (503 not_yet_integrated) must have been integrated since
        for (String id : queued) {
            Http.Reply r = cluster.http.get(base + "/v1/provenance/" + id, cluster.operator());
            if (r.status() != 200) {
                lost.incrementAndGet();
                sample(samples, "queued record " + id + " never integrated: " + r);
            }
        }

        C2spNote.Checkpoint head = checkpoint(base);
        finalTreeSize = head.size();
        Semaphore inFlight = new Semaphore(16);
        List<CompletableFuture<Void>> checks = new ArrayList<>();
        List<Ack> all = new ArrayList<>(acks);
        for (Ack a : all) {
            inFlight.acquireUninterruptibly();
            checks.add(cluster.http.getAsync(base + "/v1/provenance/" + a.id() + "/proof?treeSize=" + head.size(),
                    cluster.operator()).thenAccept(r -> {
                        String why = inclusionProblem(a, r, head);
                        if (why != null) {
                            lost.incrementAndGet();
                            sample(samples, why);
                        }
                    }).whenComplete((x, e) -> inFlight.release()));
        }
        List<Seen> seen = new ArrayList<>(checkpoints.values());
        for (Seen s : seen) {
            C2spNote.Checkpoint c;
            try {
                c = C2spNote.verify(s.note(), key);
            } catch (Exception e) {
                forks.incrementAndGet();
                sample(samples, "checkpoint of size " + s.size() + " does not verify: " + e.getMessage());
                continue;
            }
            if (c.size() == 0 || c.size() > head.size()) {
                if (c.size() > head.size()) {
                    forks.incrementAndGet();
                    sample(samples, "a client saw tree size " + c.size() + " above the final " + head.size());
                }
                continue;
            }
            if (c.size() == head.size()) {
                if (!Arrays.equals(c.root(), head.root())) {
                    forks.incrementAndGet();
                    sample(samples, "two roots for tree size " + c.size());
                }
                continue;
            }
            inFlight.acquireUninterruptibly();
            checks.add(cluster.http.getAsync(base + "/v1/log/consistency?from=" + c.size() + "&to=" + head.size(),
                    token).thenAccept(r -> {
                        if (!consistent(c, head, r)) {
                            forks.incrementAndGet();
                            sample(samples, "no valid consistency proof " + c.size() + " -> " + head.size() + ": " + r);
                        }
                    }).whenComplete((x, e) -> inFlight.release()));
        }
        CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).join();
        for (Map.Entry<String, byte[]> tile : tiles.entrySet()) {
            byte[] now = cluster.http.getBytes(base + "/v1/log/tiles/tile/" + tile.getKey(), token);
            if (!Arrays.equals(now, tile.getValue())) {
                forks.incrementAndGet();
                sample(samples, "tile " + tile.getKey() + " is not the bytes it was first served as");
            }
        }
        tilesChecked = tiles.size();
        acksChecked = all.size() + queued.size();
        inclusionProofs = all.size();
        consistencyProofs = seen.size();
        return new Verification("provenance", acksChecked, lost.get(), forks.get(), samples);
    }

    private static String inclusionProblem(Ack a, Http.Reply r, C2spNote.Checkpoint head) {
        if (r.status() != 200 || r.json() == null) {
            return "record " + a.id() + " (leaf " + a.leafIndex() + ") has no proof: " + r;
        }
        JsonNode j = r.json();
        if (j.get("leafIndex").asLong() != a.leafIndex() || !j.get("leafHash").asText().equals(a.leafHash())) {
            return "record " + a.id() + " moved: leaf " + a.leafIndex() + " -> " + j.get("leafIndex");
        }
        List<byte[]> path = new ArrayList<>();
        j.get("hashes").forEach(h -> path.add(Base64.getDecoder().decode(h.asText())));
        boolean ok = Rfc9162.verifyInclusion(a.leafIndex(), head.size(), Base64.getDecoder().decode(a.leafHash()),
                path, head.root());
        return ok ? null : "inclusion proof of record " + a.id() + " does not verify against the final checkpoint";
    }

    private static boolean consistent(C2spNote.Checkpoint from, C2spNote.Checkpoint to, Http.Reply r) {
        if (r.status() != 200 || r.json() == null) {
            return false;
        }
        List<byte[]> proof = new ArrayList<>();
        r.json().get("hashes").forEach(h -> proof.add(Base64.getDecoder().decode(h.asText())));
        return Rfc9162.verifyConsistency(from.size(), to.size(), from.root(), to.root(), proof);
    }

    private static synchronized void sample(List<String> samples, String s) {
        if (samples.size() < 10) {
            samples.add(s);
        }
    }

    int checkpointsSeen() {
        return checkpoints.size();
    }
}
