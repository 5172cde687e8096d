package io.trustplane.client;

/** 409: the state refused the call, e.g. a lease held by another agent (`holder`, `expiresInMs`) or a stale fencing token. */
public class ConflictException extends ProblemException {

    ConflictException(Problem problem) {
        super(problem);
    }
}
