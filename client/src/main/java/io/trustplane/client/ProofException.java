package io.trustplane.client;

import io.trustplane.verifier.VerificationException;
import io.trustplane.verifier.Verdict;

/**
 * What the log sent did not verify here: a proof that does not lead to the signed root, a checkpoint not signed by the
 * pinned key, or two checkpoints that cannot both be true (a fork). {@link #verdict()} says which.
 */
public class ProofException extends TrustplaneException {

    private final Verdict verdict;

    public ProofException(VerificationException cause) {
        super(cause.verdict() + ": " + cause.getMessage(), cause);
        this.verdict = cause.verdict();
    }

    public Verdict verdict() {
        return verdict;
    }
}
