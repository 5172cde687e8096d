package io.trustplane.gate.domain;

import java.util.Collection;
import java.util.Map;

/**
 * Maps a trust score to its tier by configurable lower bounds, and applies regulatory caps to find the
 * effective score: an agent under the EU AI Act never scores above 699 whatever its raw score.
 */
public record TierBands(int basic, int verified, int trusted, int privileged, Map<String, Integer> caps) {

    public TierBands {
        if (!(0 < basic && basic < verified && verified < trusted && trusted < privileged && privileged <= 1000)) {
            throw new IllegalArgumentException("tier bands must be strictly increasing within 1..1000");
        }
        caps = Map.copyOf(caps);
    }

    public Tier tierOf(int effectiveScore) {
        if (effectiveScore >= privileged) {
            return Tier.PRIVILEGED;
        }
        if (effectiveScore >= trusted) {
            return Tier.TRUSTED;
        }
        if (effectiveScore >= verified) {
            return Tier.VERIFIED;
        }
        if (effectiveScore >= basic) {
            return Tier.BASIC;
        }
        return Tier.UNKNOWN;
    }

    /** The lowest effective score of {@code tier}. */
    public int lowerBound(Tier tier) {
        return switch (tier) {
            case UNKNOWN -> 0;
            case BASIC -> basic;
            case VERIFIED -> verified;
            case TRUSTED -> trusted;
            case PRIVILEGED -> privileged;
        };
    }

    /** The highest effective score of {@code tier}. */
    public int upperBound(Tier tier) {
        return tier == Tier.PRIVILEGED ? 1000 : lowerBound(Tier.values()[tier.ordinal() + 1]) - 1;
    }

    /** The raw score capped by the strictest framework the agent is under. */
    public int effectiveScore(int score, Collection<RegulatoryFramework> frameworks) {
        int effective = score;
        for (RegulatoryFramework f : frameworks) {
            Integer cap = caps.get(f.name());
            if (cap != null) {
                effective = Math.min(effective, cap);
            }
        }
        return effective;
    }
}
