package io.trustplane.lease.domain;

/** {@code POST /v1/fencing/check}: whether the token is the one of the live lease on (taskId, phase). */
public record FencingVerdict(boolean current, String taskId, Phase phase, long fencingToken, Long latestToken,
        String holder, Long expiresInMs) {

    public static FencingVerdict of(String taskId, Phase phase, long token, FencingState state) {
        Lease live = state.live();
        return new FencingVerdict(state.isCurrent(token), taskId, phase, token, state.lastToken(),
                live == null ? null : live.holder(), live == null ? null : live.expiresInMs());
    }
}
