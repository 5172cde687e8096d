package io.trustplane.provenance.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.trustplane.provenance.client.WitnessClient;
import io.trustplane.provenance.config.ProvenanceConfig;
import io.trustplane.provenance.domain.Merkle;
import io.trustplane.provenance.repository.CosignatureRepository;
import io.trustplane.provenance.repository.LogRepository;
import io.trustplane.verifier.NoteKey;
import io.trustplane.verifier.SignedNote;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Gets checkpoints cosigned by the configured witnesses (C2SP tlog-witness) without ever holding up integration:
 * the sequencer only {@link #offer}s each new tree size. One round at a time sends the newest size to every
 * witness at once (so they cosign the same checkpoint and a quorum can form), with the consistency proof from the
 * size that witness last cosigned; a 409 names the witness's size and the request is retried with a proof from
 * there. Returned cosignature/v1 lines are kept only if they verify with the witness's configured key.
 */
@ApplicationScoped
public class Witnessing {

    private static final Logger LOG = Logger.getLogger(Witnessing.class);

    /** One configured witness and the tree size it last cosigned, as far as this replica knows. */
    private static final class Target {
        final String id;
        final URI url;
        final NoteKey key;
        volatile long size;

        Target(String id, URI url, NoteKey key) {
            this.id = id;
            this.url = url;
            this.key = key;
        }
    }

    private final List<Target> targets = new ArrayList<>();
    private final String[] names;
    private final WitnessClient client;
    private final LogRepository log;
    private final CosignatureRepository cosignatures;
    private final ProvenanceConfig.Witness config;
    private final MeterRegistry registry;
    private final Object monitor = new Object();
    private long wanted;
    private boolean inRound;

    public Witnessing(ProvenanceConfig config, WitnessClient client, LogRepository log,
            CosignatureRepository cosignatures, MeterRegistry registry) {
        this.config = config.witness();
        this.client = client;
        this.log = log;
        this.cosignatures = cosignatures;
        this.registry = registry;
        for (Map.Entry<String, ProvenanceConfig.Witness.Endpoint> e : this.config.endpoints().entrySet()) {
            NoteKey key;
            try {
                key = NoteKey.parse(e.getValue().key());
            } catch (IllegalArgumentException ex) {
                throw new IllegalStateException("trustplane.provenance.witness.endpoints." + e.getKey() + ".key: "
                        + ex.getMessage());
            }
            if (key.type() != NoteKey.COSIGNATURE_V1) {
                throw new IllegalStateException("trustplane.provenance.witness.endpoints." + e.getKey()
                        + ".key must be a cosignature/v1 (0x04) key");
            }
            targets.add(new Target(e.getKey(), URI.create(e.getValue().url()), key));
        }
        if (this.config.quorum() < 0 || this.config.quorum() > targets.size()) {
            throw new IllegalStateException("trustplane.provenance.witness.quorum must be between 0 and the number of"
                    + " witnesses (" + targets.size() + "), got " + this.config.quorum());
        }
        this.names = targets.stream().map(t -> t.key.name()).toArray(String[]::new);
    }

    public boolean enabled() {
        return !targets.isEmpty();
    }

    /** The names of the configured witnesses' keys (whose cosignatures are served and counted). */
    public String[] names() {
        return names.clone();
    }

    public int quorum() {
        return config.quorum();
    }

    /** A checkpoint of {@code treeSize} was published: have it cosigned soon. Never blocks. */
    public void offer(long treeSize) {
        if (targets.isEmpty()) {
            return;
        }
        synchronized (monitor) {
            wanted = Math.max(wanted, treeSize);
            if (inRound) {
                return;
            }
            inRound = true;
        }
        round(treeSize);
    }

    private void round(long size) {
        log.checkpoint(size)
                .chain(note -> note.isEmpty() ? Uni.createFrom().voidItem()
                        : Uni.join().all(targets.stream().map(t -> send(t, size, note.get(), config.conflictRetries())
                                .onFailure().recoverWithNull()).toList()).andCollectFailures().replaceWithVoid())
                .onFailure().invoke(e -> LOG.warnf("witness round for tree size %d failed: %s", size, e.toString()))
                .onFailure().recoverWithNull()
                .subscribe().with(ignored -> next(size), e -> next(size));
    }

    private void next(long done) {
        long size;
        synchronized (monitor) {
            if (wanted <= done) {
                inRound = false;
                return;
            }
            size = wanted;
        }
        round(size);
    }

    private Uni<Void> send(Target t, long size, String note, int retries) {
        long old = t.size <= size ? t.size : 0;
        return proof(old, size)
                .chain(proof -> client.addCheckpoint(t.url, old, proof, note, config.timeout()))
                .chain(reply -> {
                    count(t, reply.status());
                    if (reply.status() == 200) {
                        return keep(t, size, note, reply.body());
                    }
                    if (reply.status() == 409 && retries > 0) {
                        Optional<Long> theirs = witnessSize(reply.body());
                        if (theirs.isPresent() && theirs.get() <= size) {
                            t.size = theirs.get();
                            return send(t, size, note, retries - 1);
                        }
                        LOG.warnf("witness %s is at tree size %s, beyond this log's %d: not the same log?", t.id,
                                reply.body().trim(), size);
                    } else {
                        LOG.warnf("witness %s refused tree size %d from %d: %d %s", t.id, size, old, reply.status(),
                                reply.body().trim());
                    }
                    return Uni.createFrom().voidItem();
                })
                .onFailure().invoke(e -> {
                    count(t, 0);
                    LOG.warnf("witness %s did not answer for tree size %d: %s", t.id, size, e.toString());
                });
    }

    /** Stores the cosignature lines by this witness's key that verify over {@code note}; others are refused. */
    private Uni<Void> keep(Target t, long size, String note, String body) {
        for (String line : body.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String candidate = line + "\n";
            SignedNote.Signature signature;
            try {
                SignedNote cosigned = SignedNote.parse(note + candidate);
                signature = cosigned.signatures().get(cosigned.signatures().size() - 1);
                if (signature.name().equals(t.key.name())
                        && java.util.Arrays.equals(signature.keyId(), t.key.keyId())
                        && cosigned.cosignatureTime(signature, t.key) != null) {
                    t.size = size;
                    return cosignatures.insert(size, t.key.name(), candidate);
                }
            } catch (RuntimeException e) {
                // malformed: refused below
            }
        }
        count(t, -1);
        LOG.warnf("witness %s answered tree size %d with no cosignature that verifies with its configured key %s",
                t.id, size, t.key);
        return Uni.createFrom().voidItem();
    }

    private Uni<List<byte[]>> proof(long from, long to) {
        if (from == 0 || from == to) {
            return Uni.createFrom().item(List.of());
        }
        var wanted = Merkle.nodesFor(src -> Merkle.consistencyProof(from, to, src));
        return log.nodes(wanted).map(nodes -> Merkle.consistencyProof(from, to, Merkle.fromMap(nodes)));
    }

    private static Optional<Long> witnessSize(String body) {
        try {
            return Optional.of(Long.parseLong(body.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void count(Target t, int status) {
        String outcome = switch (status) {
            case 200 -> "answered";
            case 409 -> "conflict";
            case 0 -> "unreachable";
            case -1 -> "bad_cosignature";
            default -> "refused";
        };
        registry.counter("trustplane_provenance_witness_requests_total", "witness", t.id, "outcome", outcome)
                .increment();
    }
}
