package io.trustplane.gate.domain;

import java.time.Instant;

/** An agent in the list, with the creation time its keyset position is made of. */
public record AgentListing(AgentSnapshot agent, Instant createdAt) {
}
