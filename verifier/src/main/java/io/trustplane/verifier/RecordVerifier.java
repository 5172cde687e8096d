package io.trustplane.verifier;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Checks a record bundle against a policy and the last trusted checkpoint: the log's signature, the witness
 * quorum, the inclusion proof of the leaf, and consistency with the trusted checkpoint (from the bundle or
 * fetched). Returns the checkpoint to trust from now on; throws {@link VerificationException} on any failure.
 */
public final class RecordVerifier {

    /** Supplies RFC 9162 consistency proofs between two sizes, when the verifier can reach the log. */
    @FunctionalInterface
    public interface ConsistencySource {
        Optional<List<byte[]>> proof(long from, long to);
    }

    /** A successful verification: what was checked, in words, and the checkpoint now trusted. */
    public record Result(SignedNote checkpoint, List<SignedNote.Cosignature> cosignatures, String summary,
            String trusted) {
    }

    private final Policy policy;

    public RecordVerifier(Policy policy) {
        this.policy = policy;
    }

    public Result verify(RecordBundle bundle, Optional<String> trustedNote, ConsistencySource source) {
        SignedNote note = SignedNote.parse(bundle.checkpoint());
        List<SignedNote.Cosignature> cosigned = signedAndCosigned(note);
        byte[] leafHash = Rfc9162Proofs.leafHash(bundle.leaf());
        if (!Rfc9162Proofs.verifyInclusion(bundle.leafIndex(), note.size(), leafHash, bundle.hashes(), note.root())) {
            throw new VerificationException(Verdict.NOT_INCLUDED, "leaf " + bundle.leafIndex() + " (leaf hash "
                    + b64(leafHash) + ") is not proven in the tree of size " + note.size() + " with root "
                    + b64(note.root()));
        }
        String summary = "leaf " + bundle.leafIndex() + (bundle.id() == null ? "" : " (record " + bundle.id() + ")")
                + " is in " + note.origin() + " at tree size " + note.size() + ", root " + b64(note.root())
                + "; signed by the log key; " + cosigned.size() + " witness cosignature(s), " + policy.quorum()
                + " required";
        return trust(note, bundle.checkpoint(), cosigned, summary, trustedNote, bundle, source);
    }

    /**
     * Checks a checkpoint on its own (no record): the log's signature, the witness quorum and consistency with the
     * trusted checkpoint, so a client that watches the log catches a fork between two checkpoints it was shown.
     */
    public Result verifyCheckpoint(String checkpoint, Optional<String> trustedNote, ConsistencySource source) {
        SignedNote note = SignedNote.parse(checkpoint);
        List<SignedNote.Cosignature> cosigned = signedAndCosigned(note);
        String summary = note.origin() + " at tree size " + note.size() + ", root " + b64(note.root())
                + "; signed by the log key; " + cosigned.size() + " witness cosignature(s), " + policy.quorum()
                + " required";
        return trust(note, checkpoint, cosigned, summary, trustedNote, null, source);
    }

    private List<SignedNote.Cosignature> signedAndCosigned(SignedNote note) {
        note.verifyLogSignature(policy.logKey());
        List<SignedNote.Cosignature> cosigned = note.verifyCosignatures(policy.witnesses());
        if (cosigned.size() < policy.quorum()) {
            throw new VerificationException(Verdict.NOT_ENOUGH_COSIGNATURES, "the checkpoint of size " + note.size()
                    + " has " + cosigned.size() + " valid witness cosignatures, the policy needs " + policy.quorum());
        }
        return cosigned;
    }

    private Result trust(SignedNote note, String checkpoint, List<SignedNote.Cosignature> cosigned, String summary,
            Optional<String> trustedNote, RecordBundle bundle, ConsistencySource source) {
        String trusted = checkpoint;
        if (trustedNote.isPresent()) {
            SignedNote old = SignedNote.parse(trustedNote.get());
            old.verifyLogSignature(policy.logKey());
            summary += "; " + consistency(old, note, bundle, source);
            trusted = note.size() >= old.size() ? checkpoint : trustedNote.get();
        } else {
            summary += "; no checkpoint was trusted before (trust on first use)";
        }
        return new Result(note, cosigned, summary, trusted);
    }

    private String consistency(SignedNote old, SignedNote now, RecordBundle bundle, ConsistencySource source) {
        if (now.size() == old.size()) {
            if (!Arrays.equals(now.root(), old.root())) {
                throw new VerificationException(Verdict.INCONSISTENT, "the log signed two different roots for tree size "
                        + now.size() + ": trusted " + b64(old.root()) + ", now " + b64(now.root()) + " (a fork)");
            }
            return "same checkpoint as the trusted one";
        }
        long from = Math.min(old.size(), now.size());
        long to = Math.max(old.size(), now.size());
        if (now.size() < old.size() && !policy.allowOlder()) {
            throw new VerificationException(Verdict.STALE, "the checkpoint has tree size " + now.size()
                    + ", older than the trusted size " + old.size());
        }
        boolean carried = bundle != null && bundle.consistencyFrom() != null && bundle.consistencyFrom() == from
                && to == now.size();
        List<byte[]> proof = carried
                ? bundle.consistency()
                : source.proof(from, to).orElseThrow(() -> new VerificationException(Verdict.UNAVAILABLE,
                        "no consistency proof from the trusted size " + old.size() + " to " + now.size()
                                + " (give the log URL, or a bundle with one)"));
        SignedNote first = now.size() < old.size() ? now : old;
        SignedNote second = now.size() < old.size() ? old : now;
        if (!Rfc9162Proofs.verifyConsistency(first.size(), second.size(), first.root(), second.root(), proof)) {
            throw new VerificationException(Verdict.INCONSISTENT, "the tree of size " + second.size()
                    + " is not an append-only extension of the tree of size " + first.size() + " (a fork)");
        }
        return "consistent with the trusted checkpoint of size " + old.size();
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
