package io.trustplane.lease.domain;

/** The database refused a grant because an operator contained the holder (until the containment is lifted). */
public final class ContainedHolderException extends RuntimeException {

    public ContainedHolderException(String holder) {
        super("holder " + holder + " is contained", null, false, false);
    }
}
