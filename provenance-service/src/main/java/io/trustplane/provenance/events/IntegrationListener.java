package io.trustplane.provenance.events;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.trustplane.provenance.config.ProvenanceConfig;
import io.trustplane.provenance.repository.SequencerRepository;
import io.trustplane.provenance.service.Sequencer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wakes requests whose records another replica's sequencer integrated: LISTENs to the channel the integrating
 * transaction NOTIFYs at commit, and polls for overdue waiters as a fallback for a dropped listener connection.
 */
@ApplicationScoped
public class IntegrationListener {

    private static final Logger LOG = Logger.getLogger(IntegrationListener.class);

    private final Vertx vertx;
    private final Sequencer sequencer;
    private final ProvenanceConfig.Sequencer config;
    private final PgConnectOptions options;
    private final AtomicBoolean checking = new AtomicBoolean();
    private PgSubscriber subscriber;
    private long timer = -1;

    public IntegrationListener(Vertx vertx, Sequencer sequencer, ProvenanceConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.sequencer = sequencer;
        this.config = config.sequencer();
        String uri = url.startsWith("vertx-reactive:") ? url.substring("vertx-reactive:".length()) : url;
        PgConnectOptions options = PgConnectOptions.fromUri(uri);
        user.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        this.options = options;
    }

    void onStart(@Observes StartupEvent event) {
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> config.listenReconnect().toMillis());
        subscriber.channel(SequencerRepository.CHANNEL).handler(size -> check(sequencer.waiters().ids().stream()
                .toList()));
        subscriber.connect().subscribe().with(ok -> LOG.debug("listening for integrated batches"),
                e -> LOG.warnf("cannot LISTEN for integrated batches (polling instead): %s", e.toString()));
        long every = Math.max(1, config.waitPoll().toMillis());
        timer = vertx.setPeriodic(every, id -> check(sequencer.waiters().overdue(config.waitPoll().toNanos())));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    private void check(List<UUID> ids) {
        if (ids.isEmpty() || !checking.compareAndSet(false, true)) {
            return;
        }
        sequencer.completeFromTable(ids).subscribe().with(ok -> checking.set(false), e -> {
            checking.set(false);
            LOG.debugf("waiter check failed: %s", e.toString());
        });
    }
}
