package io.trustplane.verifier;

/** A failed check: the verdict it leads to and the reason in words. */
public class VerificationException extends RuntimeException {

    private final Verdict verdict;

    public VerificationException(Verdict verdict, String reason) {
        super(reason);
        this.verdict = verdict;
    }

    public Verdict verdict() {
        return verdict;
    }
}
