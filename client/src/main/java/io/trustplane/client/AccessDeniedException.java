package io.trustplane.client;

/** 401 or 403: no valid token, or the token's identity may not do this (an agent acting for another). */
public class AccessDeniedException extends ProblemException {

    AccessDeniedException(Problem problem) {
        super(problem);
    }
}
