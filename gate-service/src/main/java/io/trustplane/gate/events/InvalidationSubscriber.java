package io.trustplane.gate.events;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One replica's subscription to the cache-invalidation channel. Plain Java so a test can run a second one as
 * "another replica". A lost subscription (Redis restarted) is noticed and re-established by {@link #ensure()};
 * the caller reloads everything after a resubscribe because messages sent meanwhile are gone.
 */
public class InvalidationSubscriber {

    private static final Logger LOG = Logger.getLogger(InvalidationSubscriber.class);

    private final ReactivePubSubCommands<String> pubsub;
    private final String channel;
    private final Consumer<String> onMessage;
    private final Runnable onResubscribed;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final AtomicBoolean subscribing = new AtomicBoolean();
    private volatile ReactivePubSubCommands.ReactiveRedisSubscriber subscriber;

    public InvalidationSubscriber(ReactiveRedisDataSource redis, String channel, Consumer<String> onMessage,
            Runnable onResubscribed) {
        this.pubsub = redis.pubsub(String.class);
        this.channel = channel;
        this.onMessage = onMessage;
        this.onResubscribed = onResubscribed;
    }

    /** Subscribes if not subscribed; safe to call often (the scheduler calls it every second). */
    public void ensure() {
        if (subscribed.get() || !subscribing.compareAndSet(false, true)) {
            return;
        }
        boolean first = subscriber == null;
        pubsub.subscribe(channel, this::deliver, this::lost, failure -> lost())
                .subscribe().with(s -> {
                    subscriber = s;
                    subscribed.set(true);
                    subscribing.set(false);
                    if (!first) {
                        LOG.infof("re-subscribed to %s; reloading caches", channel);
                        onResubscribed.run();
                    }
                }, failure -> {
                    subscribing.set(false);
                    LOG.debugf("cannot subscribe to %s yet: %s", channel, failure.toString());
                });
    }

    public boolean isSubscribed() {
        return subscribed.get();
    }

    public void stop() {
        ReactivePubSubCommands.ReactiveRedisSubscriber s = subscriber;
        subscribed.set(false);
        if (s != null) {
            s.unsubscribe().subscribe().with(x -> {
            }, f -> {
            });
        }
    }

    private void deliver(String message) {
        try {
            onMessage.accept(message);
        } catch (RuntimeException e) {
            LOG.warnf("invalidation message %s failed: %s", message, e.toString());
        }
    }

    private void lost() {
        if (subscribed.compareAndSet(true, false)) {
            LOG.warnf("lost subscription to %s", channel);
        }
    }
}
