package io.trustplane.client;

/** A call that did not get an answer: the service was unreachable, the connection dropped, or the deadline passed. */
public class TrustplaneException extends RuntimeException {

    public TrustplaneException(String message) {
        super(message);
    }

    public TrustplaneException(String message, Throwable cause) {
        super(message, cause);
    }
}
