package io.trustplane.verifier;

/** The outcome of a verification and the command's exit code for it. */
public enum Verdict {
    OK(0, "verified"),
    USAGE(1, "usage or input error"),
    MALFORMED(2, "malformed note, key or bundle"),
    BAD_SIGNATURE(3, "the checkpoint is not signed by the log key"),
    BAD_COSIGNATURE(4, "a witness cosignature does not verify"),
    NOT_ENOUGH_COSIGNATURES(5, "fewer witness cosignatures than the policy requires"),
    NOT_INCLUDED(6, "the inclusion proof does not prove this leaf in this checkpoint"),
    INCONSISTENT(7, "the checkpoint is not consistent with the last trusted one (a fork)"),
    STALE(8, "the checkpoint is older than the last trusted one"),
    UNAVAILABLE(9, "the log could not be reached");

    private final int exitCode;
    private final String meaning;

    Verdict(int exitCode, String meaning) {
        this.exitCode = exitCode;
        this.meaning = meaning;
    }

    public int exitCode() {
        return exitCode;
    }

    public String meaning() {
        return meaning;
    }
}
