package io.trustplane.provenance.domain;

import io.trustplane.common.problem.ProblemException;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Keeps an agent's record from passing for an anchor: {@code metadata.kind = "anchor"} and the anchor-only keys
 * ({@code submitter}, {@code event}) are the suite's services' alone, and an IMPORTED record may not claim a
 * source or service other than the caller. Refusals are 422 naming the field.
 */
public final class AnchorClaims {

    public static final String ANCHOR_KIND = "anchor";

    private AnchorClaims() {
    }

    /**
     * The metadata to store: refused for an agent that claims to be an anchor or another source; for a caller with
     * the {@code service} role posting an anchor, {@code submitter} is set to the caller (never taken from the body).
     */
    public static Map<String, Object> check(String callerId, boolean service, CreationType type,
            Map<String, Object> metadata) {
        if (metadata == null) {
            return null;
        }
        boolean anchor = metadata.get("kind") instanceof String kind
                && ANCHOR_KIND.equals(kind.trim().toLowerCase(Locale.ROOT));
        if (service) {
            if (!anchor) {
                return metadata;
            }
            Map<String, Object> stamped = new HashMap<>(metadata);
            stamped.put("submitter", callerId);
            return stamped;
        }
        if (anchor) {
            throw ProblemException.unprocessable("reserved_for_services", "metadata.kind",
                    "\"anchor\" is reserved for records the suite's services anchor");
        }
        for (String reserved : new String[] {"submitter", "event"}) {
            if (metadata.containsKey(reserved)) {
                throw ProblemException.unprocessable("reserved_for_services", "metadata." + reserved,
                        "is reserved for records the suite's services anchor");
            }
        }
        if (type == CreationType.IMPORTED) {
            for (String claim : new String[] {"source", "service"}) {
                Object named = metadata.get(claim);
                if (named != null && !callerId.equals(String.valueOf(named))) {
                    throw ProblemException.unprocessable("foreign_source", "metadata." + claim,
                            "an agent's IMPORTED record names its own source (" + callerId + ") or none");
                }
            }
        }
        return metadata;
    }
}
