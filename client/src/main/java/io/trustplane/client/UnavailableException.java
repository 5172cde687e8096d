package io.trustplane.client;

/** 429 or 503: the service asked the caller to come back later and the call's deadline did not allow it. */
public class UnavailableException extends ProblemException {

    UnavailableException(Problem problem) {
        super(problem);
    }
}
