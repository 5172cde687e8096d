package io.trustplane.lease.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.trustplane.common.redis.RedisDeadline;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.trustplane.lease.config.LeaseConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Carries lease notices to SSE subscribers on every replica: a notice is published on a Redis pub/sub channel
 * and each replica relays what it hears to its own subscribers. When Redis is down the notice still reaches
 * this replica's subscribers (the event on tp:events is the durable signal).
 */
@ApplicationScoped
public class LeaseNotifier {

    private static final Logger LOG = Logger.getLogger(LeaseNotifier.class);

    private final ReactivePubSubCommands<String> pubsub;
    private final RedisDeadline deadline;
    private final ObjectMapper mapper;
    private final String channel;
    private final BroadcastProcessor<LeaseNotice> local = BroadcastProcessor.create();
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final AtomicBoolean subscribing = new AtomicBoolean();
    private volatile ReactivePubSubCommands.ReactiveRedisSubscriber subscriber;
    /** Ids of notices delivered lately, so one heard both locally and over Redis reaches subscribers once. */
    private final Map<String, Boolean> recent;

    public LeaseNotifier(ReactiveRedisDataSource redis, RedisDeadline deadline, ObjectMapper mapper,
            LeaseConfig config) {
        this.pubsub = redis.pubsub(String.class);
        this.deadline = deadline;
        this.mapper = mapper;
        this.channel = config.noticeChannel();
        int remembered = config.noticeDedupSize();
        this.recent = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > remembered;
            }
        };
    }

    /** Sends a notice to every replica's subscribers. */
    public void announce(LeaseNotice notice) {
        String json;
        try {
            json = mapper.writeValueAsString(notice);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // bounded: with Redis frozen the notice still reaches this replica's subscribers, after the deadline
        deadline.bound(pubsub.publish(channel, json)).subscribe().with(x -> {
            if (!subscribed.get()) {
                deliver(notice);
            }
        }, failure -> {
            LOG.warnf("could not publish lease notice %s for lease %s: %s", notice.type(), notice.leaseId(),
                    failure.toString());
            deliver(notice);
        });
    }

    /** Notices for one caller (or all of them for operators), live from now on. */
    public Multi<LeaseNotice> stream(String callerId, boolean all) {
        return local.filter(n -> all || callerId.equals(n.holder()));
    }

    public boolean isSubscribed() {
        return subscribed.get();
    }

    /** (Re)subscribes when needed; cheap enough to call every second. */
    @Scheduled(every = "${trustplane.lease.notice-resubscribe-interval:1s}", delay = 0, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void ensureSubscribed() {
        if (subscribed.get() || !subscribing.compareAndSet(false, true)) {
            return;
        }
        pubsub.subscribe(channel, this::received, this::lost, failure -> lost())
                .subscribe().with(s -> {
                    subscriber = s;
                    subscribed.set(true);
                    subscribing.set(false);
                }, failure -> {
                    subscribing.set(false);
                    LOG.debugf("cannot subscribe to %s yet: %s", channel, failure.toString());
                });
    }

    void onStop(@Observes ShutdownEvent event) {
        ReactivePubSubCommands.ReactiveRedisSubscriber s = subscriber;
        subscribed.set(false);
        local.onComplete();
        if (s != null) {
            s.unsubscribe().subscribe().with(x -> {
            }, f -> {
            });
        }
    }

    private void received(String json) {
        // hearing our channel proves the subscription (the client does not always complete the subscribe call)
        subscribed.set(true);
        subscribing.set(false);
        try {
            deliver(mapper.readValue(json, LeaseNotice.class));
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warnf("ignoring unreadable lease notice: %s", e.toString());
        }
    }

    private synchronized void deliver(LeaseNotice notice) {
        if (notice.id() != null && recent.put(notice.id(), Boolean.TRUE) != null) {
            return;
        }
        local.onNext(notice);
    }

    private void lost() {
        if (subscribed.compareAndSet(true, false)) {
            LOG.warnf("lost subscription to %s", channel);
        }
    }
}
