package io.trustplane.lease.rest;

/** The id pattern every task id must match. */
final class Ids {

    static final String PATTERN = "[A-Za-z0-9._:-]{1,128}";
    static final String MESSAGE = "must match " + PATTERN;

    private Ids() {
    }
}
