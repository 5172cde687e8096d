package io.trustplane.lease.rest;

import io.trustplane.common.security.Caller;
import io.trustplane.lease.domain.Actor;

/** Turns the verified caller of a request into the domain's {@link Actor}. */
final class Actors {

    private Actors() {
    }

    static Actor of(Caller caller) {
        return new Actor(caller.id(), caller.isPrivileged());
    }
}
