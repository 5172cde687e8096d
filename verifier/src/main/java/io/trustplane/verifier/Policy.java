package io.trustplane.verifier;

import java.util.List;

/**
 * Whom the verifier trusts: the log's key, the witnesses' cosignature keys and how many of them must have cosigned
 * ({@code quorum}); {@code allowOlder} accepts a checkpoint older than the trusted one when it is proven consistent.
 */
public record Policy(NoteKey logKey, List<NoteKey> witnesses, int quorum, boolean allowOlder) {

    public Policy {
        witnesses = List.copyOf(witnesses);
        if (quorum < 0 || quorum > witnesses.size()) {
            throw new VerificationException(Verdict.USAGE, "the quorum must be between 0 and the number of witness keys ("
                    + witnesses.size() + "), got " + quorum);
        }
        for (NoteKey w : witnesses) {
            if (w.type() != NoteKey.COSIGNATURE_V1) {
                throw new VerificationException(Verdict.USAGE, "witness key " + w.name()
                        + " is not a cosignature/v1 (0x04) key");
            }
        }
    }
}
