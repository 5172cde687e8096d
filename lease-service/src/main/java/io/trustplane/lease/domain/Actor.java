package io.trustplane.lease.domain;

/** Who is acting, captured from the request before any asynchronous step (the request scope does not follow). */
public record Actor(String id, boolean privileged) {
}
