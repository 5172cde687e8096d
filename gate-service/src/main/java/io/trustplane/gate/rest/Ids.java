package io.trustplane.gate.rest;

/** Patterns shared by request validation. */
final class Ids {

    /** Agent, flag and caller ids. */
    static final String ID = "[A-Za-z0-9._:-]{1,128}";
    /** Role names and resource types. */
    static final String NAME = "[A-Za-z0-9_.:-]{1,64}";
    static final String ID_MESSAGE = "must match " + ID;
    static final String NAME_MESSAGE = "must match " + NAME;

    private Ids() {
    }
}
