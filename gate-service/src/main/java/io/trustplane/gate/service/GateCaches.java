package io.trustplane.gate.service;

import io.trustplane.gate.domain.PolicySet;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.trustplane.common.redis.RedisDeadline;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.trustplane.gate.config.GateConfig;
import io.trustplane.gate.events.InvalidationSubscriber;
import io.trustplane.gate.repository.AgentRepository;
import io.trustplane.gate.repository.PolicyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * This replica's caches and their invalidation: a change publishes {@code policies:<revision>} or
 * {@code agent:<id>} on the channel, every replica (this one included) applies it, and a periodic full reload
 * covers messages lost while Redis was away.
 */
@ApplicationScoped
public class GateCaches {

    private static final Logger LOG = Logger.getLogger(GateCaches.class);
    static final String POLICIES = "policies:";
    static final String AGENT = "agent:";

    private final PolicyCache policies;
    private final AgentCache agents;
    private final ReactiveRedisDataSource redis;
    private final RedisDeadline deadline;
    private final String channel;
    private final Duration startupLoadTimeout;
    private final InvalidationSubscriber subscriber;

    public GateCaches(PolicyRepository policyRepository, AgentRepository agentRepository,
            ReactiveRedisDataSource redis, RedisDeadline deadline, GateConfig config) {
        this.policies = new PolicyCache(policyRepository);
        this.deadline = deadline;
        this.agents = new AgentCache(agentRepository, config.cache().maxAgents());
        this.redis = redis;
        this.channel = config.cache().channel();
        this.startupLoadTimeout = config.cache().startupLoadTimeout();
        this.subscriber = subscriber(redis, channel, policies, agents);
    }

    /** A subscriber applying invalidations to the given caches; tests build a second one as another replica. */
    public static InvalidationSubscriber subscriber(ReactiveRedisDataSource redis, String channel,
            PolicyCache policies, AgentCache agents) {
        return new InvalidationSubscriber(redis, channel, message -> apply(message, policies, agents), () -> {
            agents.clear();
            policies.reload().subscribe().with(s -> {
            }, f -> LOG.warnf("policy reload failed: %s", f.toString()));
        });
    }

    static void apply(String message, PolicyCache policies, AgentCache agents) {
        if (message.startsWith(POLICIES)) {
            policies.onRevision(Long.parseLong(message.substring(POLICIES.length())));
        } else if (message.startsWith(AGENT)) {
            agents.evict(message.substring(AGENT.length()));
        }
    }

    void onStart(@Observes StartupEvent event) {
        subscriber.ensure();
        try {
            policies.reload().await().atMost(startupLoadTimeout);
        } catch (RuntimeException e) {
            // the scheduled reload retries; until then no policy matches and BASIS decides
            LOG.warnf("initial policy load failed: %s", e.toString());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        subscriber.stop();
    }

    @Scheduled(every = "${trustplane.gate.cache.resubscribe-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void keepSubscribed() {
        subscriber.ensure();
    }

    @Scheduled(every = "${trustplane.gate.cache.reload-interval}", delayed = "${trustplane.gate.cache.reload-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> safetyReload() {
        agents.clear();
        return policies.reload().replaceWithVoid().onFailure().recoverWithNull();
    }

    public PolicyCache policies() {
        return policies;
    }

    public AgentCache agents() {
        return agents;
    }

    public String channel() {
        return channel;
    }

    public boolean subscribed() {
        return subscriber.isSubscribed();
    }

    /** Evicts locally at once, then tells every replica. */
    public void agentChanged(String agentId) {
        agents.evict(agentId);
        publish(AGENT + agentId);
    }

    /** Reloads locally at once (the caller waits), then tells every replica. */
    public Uni<PolicySet> policiesChanged() {
        return policies.reload().invoke(set -> publish(POLICIES + set.revision()));
    }

    private void publish(String message) {
        deadline.bound(redis.pubsub(String.class).publish(channel, message)).subscribe().with(x -> {
        }, f -> LOG.warnf("could not publish invalidation %s: %s", message, f.toString()));
    }
}
