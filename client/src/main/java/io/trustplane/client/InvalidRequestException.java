package io.trustplane.client;

/** 400 or 422: the input was malformed or a rule refused it (`errors` names the fields, `missing` the evidence). */
public class InvalidRequestException extends ProblemException {

    InvalidRequestException(Problem problem) {
        super(problem);
    }
}
