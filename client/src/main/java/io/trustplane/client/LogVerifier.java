package io.trustplane.client;

import io.trustplane.verifier.NoteKey;
import io.trustplane.verifier.Policy;
import io.trustplane.verifier.RecordBundle;
import io.trustplane.verifier.RecordVerifier;
import io.trustplane.verifier.TrustState;
import io.trustplane.verifier.VerificationException;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Verifies what the provenance log sends, locally, against a log key the caller pinned: each checkpoint must be
 * signed by that key, each inclusion proof must lead to the checkpoint's root, and each checkpoint must be consistent
 * with the last one this verifier trusted (kept in memory, and in a file when given), so a log that shows two
 * different trees is caught. Thread-safe; one per log an agent trusts.
 */
public final class LogVerifier {

    private final RecordVerifier verifier;
    private final TrustState file;
    private String trusted;

    private LogVerifier(Policy policy, Path stateFile) {
        this.verifier = new RecordVerifier(policy);
        this.file = stateFile == null ? null : new TrustState(stateFile);
        this.trusted = file == null ? null : file.load().orElse(null);
    }

    /**
     * A verifier that trusts checkpoints signed by {@code logKey} (the C2SP verifier key string, as
     * {@code GET /v1/log/key} serves it: pin it from configuration, not from the log at every start) and keeps the
     * trusted checkpoint in memory.
     */
    public static LogVerifier pinned(String logKey) {
        return new LogVerifier(policy(logKey, List.of(), 0), null);
    }

    /** As {@link #pinned(String)}, and the trusted checkpoint survives restarts in {@code stateFile}. */
    public static LogVerifier pinned(String logKey, Path stateFile) {
        return new LogVerifier(policy(logKey, List.of(), 0), stateFile);
    }

    /** A verifier that also needs {@code quorum} cosignatures by the given witness keys on every checkpoint. */
    public static LogVerifier pinned(String logKey, List<String> witnessKeys, int quorum, Path stateFile) {
        return new LogVerifier(policy(logKey, witnessKeys, quorum), stateFile);
    }

    /** The signed checkpoint note trusted now, if any. */
    public synchronized Optional<String> trusted() {
        return Optional.ofNullable(trusted);
    }

    synchronized String verify(RecordBundle bundle, RecordVerifier.ConsistencySource source) {
        try {
            RecordVerifier.Result result = verifier.verify(bundle, Optional.ofNullable(trusted), source);
            remember(result.trusted());
            return result.summary();
        } catch (VerificationException e) {
            throw new ProofException(e);
        }
    }

    synchronized String verifyCheckpoint(String checkpoint, RecordVerifier.ConsistencySource source) {
        try {
            RecordVerifier.Result result = verifier.verifyCheckpoint(checkpoint, Optional.ofNullable(trusted), source);
            remember(result.trusted());
            return result.summary();
        } catch (VerificationException e) {
            throw new ProofException(e);
        }
    }

    private void remember(String note) {
        if (!note.equals(trusted)) {
            trusted = note;
            if (file != null) {
                file.save(note);
            }
        }
    }

    private static Policy policy(String logKey, List<String> witnessKeys, int quorum) {
        // the log's older checkpoint of a record is accepted once proven consistent with the newer one trusted
        return new Policy(NoteKey.parse(logKey), witnessKeys.stream().map(NoteKey::parse).toList(), quorum, true);
    }
}
