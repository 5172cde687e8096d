package io.trustplane.lease.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One anchor of a ledger entry as provenance-service's signed leaf states it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LedgerAnchor(long seq, String hash, String submitter) {
}
