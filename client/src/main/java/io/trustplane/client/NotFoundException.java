package io.trustplane.client;

/** 404: the route or the resource does not exist. */
public class NotFoundException extends ProblemException {

    NotFoundException(Problem problem) {
        super(problem);
    }
}
