package io.trustplane.common.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.BlockingOperationControl;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.trustplane.common.problem.FieldViolation;
import io.trustplane.common.problem.Problem;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.common.redis.RedisDeadline;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * {@code Idempotency-Key} on the routes marked {@link Idempotent}. The first attempt holds the key (scoped by the
 * verified caller) while it runs; its successful (2xx) answer is kept for {@code trustplane.idempotency.ttl}
 * together with a fingerprint of the request (method, path, SHA-256 of the body). A retry with the same key and the
 * same request gets that answer back unchanged, with {@code Idempotent-Replayed: true}, without running again.
 * The same key with a different request, or while the first attempt still runs, is a 409; a malformed key is a 400.
 * A refused or failed first attempt keeps nothing, so its retry runs. Creating routes keep their keys in the
 * service's PostgreSQL ({@code idempotency_keys}), so Redis and service restarts keep them; hot decision routes
 * marked {@code @Idempotent(REDIS)} keep them in Redis. Routes marked {@code @Idempotent(TRANSACTION)} leave the
 * claim to their creating transaction ({@link IdempotentTransactions}); this filter then stores the answer in that
 * transaction and commits it, so the key, the rows and the answer are one commit. Routes marked
 * {@code @Idempotent(LINKED)} claim here, link the key to what they create inside their creating transaction, and
 * a retry finding the key linked but unanswered answers from the linked creation ({@link IdempotentTransactions}).
 */
public class IdempotencyFilters {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";
    static final int MAX_KEY_LENGTH = 255;

    private static final Logger LOG = Logger.getLogger(IdempotencyFilters.class);
    private static final String PROPERTY = IdempotencyFilters.class.getName();
    private static final String HELD = PROPERTY + ".held";
    private static final String LINKED = PROPERTY + ".linked";
    private static final Uni<Response> CONTINUE = Uni.createFrom().nullItem();
    private static final Uni<Void> DONE = Uni.createFrom().voidItem();

    private final CurrentIdentityAssociation identity;
    private final ObjectMapper mapper;
    private final IdempotencyStore postgres;
    private final IdempotencyStore redis;
    private final PostgresIdempotencyStore transactional;
    private final Map<Method, Idempotent.Store> storeByRoute = new ConcurrentHashMap<>();

    public IdempotencyFilters(ReactiveRedisDataSource redis, RedisDeadline deadline, Pool pool,
            CurrentIdentityAssociation identity, ObjectMapper mapper, IdempotencyConfig config,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        this.identity = identity;
        this.mapper = mapper;
        this.transactional = new PostgresIdempotencyStore(pool, config.ttl(), config.pendingTtl(),
                config.sweepInterval(), System::nanoTime);
        this.postgres = transactional;
        this.redis = new RedisIdempotencyStore(redis, deadline, mapper, "tp:idempotency:" + service + ":",
                config.ttl(), config.pendingTtl());
    }

    /**
     * Where the key is held: what a request may replay depends on who sent it, never only on the key. A
     * {@code TRANSACTION} claim also carries the route's transaction between its work and its commit.
     */
    record Claim(IdempotencyStore store, String key, String fingerprint, Idempotent.Store where, String resumed,
            AtomicReference<Parked> parked, Queue<Supplier<Uni<?>>> afterCommit) {

        Claim(IdempotencyStore store, String key, String fingerprint, Idempotent.Store where, String resumed) {
            this(store, key, fingerprint, where, resumed, new AtomicReference<>(), new ConcurrentLinkedQueue<>());
        }

        boolean inTransaction() {
            return where == Idempotent.Store.TRANSACTION;
        }

        /** Runs, one after the other, what waited for the end of the transaction (cache reloads, relay wake-ups). */
        Uni<Void> ended() {
            Supplier<Uni<?>> next = afterCommit.poll();
            if (next == null) {
                return DONE;
            }
            return Uni.createFrom().deferred(next).onFailure().recoverWithItem(f -> {
                LOG.warnf("an action after an idempotent commit failed: %s", f.toString());
                return null;
            }).chain(this::ended);
        }
    }

    /** A creating transaction whose work is done, waiting for its answer and its commit. */
    record Parked(SqlConnection connection, Transaction transaction) {
    }

    /** A replay found by a claim inside a transaction: the stored answer, sent instead of running the route. */
    static final class Replayed extends RuntimeException {
        private final transient Response response;

        Replayed(Response response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    // @WithFormRead: run once the body has been read (any body, not only forms), as the fingerprint needs it
    @Idempotent
    @WithFormRead
    @ServerRequestFilter
    public Uni<Response> claim(ContainerRequestContext request, ResourceInfo route) {
        String key = request.getHeaderString(HEADER);
        if (key == null) {
            return CONTINUE;
        }
        if (!isValidKey(key)) {
            return Uni.createFrom().failure(ProblemException.badRequest(HEADER,
                    "must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters"));
        }
        String fingerprint = fingerprint(request);
        Idempotent.Store where = storeFor(route);
        IdempotencyStore store = where == Idempotent.Store.REDIS ? redis : postgres;
        return identity.getDeferredIdentity().flatMap(who -> {
            String caller = who.isAnonymous() ? "anonymous" : who.getPrincipal().getName();
            Claim claim = new Claim(store, sha256((caller + '\n' + key).getBytes(StandardCharsets.UTF_8)), fingerprint,
                    where, null);
            if (claim.inTransaction()) {
                // claimed by the route's transaction, which finds it in the request's context
                request.setProperty(PROPERTY, claim);
                ContextLocals.put(PROPERTY, claim);
                return CONTINUE;
            }
            return store.claim(claim.key(), fingerprint).map(held -> {
                if (held == null) {
                    hold(request, claim);
                    return null;
                }
                if (where == Idempotent.Store.LINKED && !held.finished() && held.location() != null
                        && fingerprint.equals(held.fingerprint())) {
                    // the first attempt's creation is committed but its answer was never stored: answer from it
                    hold(request, new Claim(store, claim.key(), fingerprint, where, held.location()));
                    return null;
                }
                return answer(held, claim);
            });
        });
    }

    private static void hold(ContainerRequestContext request, Claim claim) {
        request.setProperty(PROPERTY, claim);
        if (claim.where() == Idempotent.Store.LINKED) {
            ContextLocals.put(LINKED, claim);
        }
    }

    private Idempotent.Store storeFor(ResourceInfo route) {
        Method method = route.getResourceMethod();
        if (method == null) {
            return Idempotent.Store.POSTGRESQL;
        }
        return storeByRoute.computeIfAbsent(method, m -> {
            Idempotent marked = m.getAnnotation(Idempotent.class);
            if (marked == null) {
                marked = route.getResourceClass().getAnnotation(Idempotent.class);
            }
            return marked == null ? Idempotent.Store.POSTGRESQL : marked.value();
        });
    }

    /**
     * The {@code TRANSACTION} claim of the request being served, taken (a route's first creating transaction carries
     * it, any later one runs without); null without one, or outside a request.
     */
    static Claim takePendingClaim() {
        Context context = Vertx.currentContext();
        if (context == null || !VertxContext.isDuplicatedContext(context)) {
            return null;
        }
        Claim claim = ContextLocals.<Claim>get(PROPERTY).orElse(null);
        if (claim != null) {
            ContextLocals.remove(PROPERTY);
            ContextLocals.put(HELD, claim);
        }
        return claim;
    }

    /** The claim whose transaction the current request holds open until its answer is stored; null otherwise. */
    static Claim heldClaim() {
        Context context = Vertx.currentContext();
        if (context == null || !VertxContext.isDuplicatedContext(context)) {
            return null;
        }
        Claim claim = ContextLocals.<Claim>get(HELD).orElse(null);
        return claim == null || claim.parked().get() == null ? null : claim;
    }

    /** The {@code LINKED} claim of the request being served (fresh or resumed); null without one, or outside a request. */
    static Claim linkedClaim() {
        Context context = Vertx.currentContext();
        if (context == null || !VertxContext.isDuplicatedContext(context)) {
            return null;
        }
        return ContextLocals.<Claim>get(LINKED).orElse(null);
    }

    /** What a {@code LINKED} creation fails with when another attempt with the same key linked its creation first. */
    static ProblemException inProgress() {
        return conflict("idempotency_in_progress", "a request with this key is still being processed; retry shortly");
    }

    /** What a transaction that found its key taken fails with: a replay, or the 409 of a reused or running key. */
    static RuntimeException taken(IdempotencyStore.Held held, Claim claim) {
        try {
            return new Replayed(answer(held, claim));
        } catch (ProblemException e) {
            return e;
        }
    }

    @ServerExceptionMapper
    public Response replayed(Replayed replayed) {
        return replayed.response;
    }

    private static Response answer(IdempotencyStore.Held stored, Claim claim) {
        if (stored.fingerprint() != null && !stored.fingerprint().equals(claim.fingerprint())) {
            throw conflict("idempotency_key_reused",
                    "was already used for a different request (method, path or body); use a new key");
        }
        if (!stored.finished()) {
            throw inProgress();
        }
        Response.ResponseBuilder replay = Response.status(stored.status()).header(REPLAYED, "true");
        if (stored.location() != null) {
            replay.header(HttpHeaders.LOCATION, stored.location());
        }
        if (stored.body() != null) {
            replay.type(stored.type() == null ? MediaType.APPLICATION_JSON : stored.type()).entity(stored.body());
        }
        return replay.build();
    }

    @Idempotent
    @ServerResponseFilter
    public Uni<Void> remember(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(PROPERTY) instanceof Claim claim)) {
            return DONE;
        }
        if (claim.inTransaction()) {
            return commit(claim, response);
        }
        if (claim.resumed() != null && response.getStatus() / 100 == 2) {
            response.getHeaders().putSingle(REPLAYED, "true");
        }
        if (response.getStatus() / 100 != 2) {
            return release(claim);
        }
        IdempotencyStore.Held done;
        try {
            done = held(claim, response);
        } catch (JsonProcessingException e) {
            LOG.warnf("could not keep an idempotent answer: %s", e.toString());
            return release(claim);
        }
        return claim.store().complete(claim.key(), done).onFailure().recoverWithItem(f -> {
            LOG.warnf("could not keep an idempotent answer: %s", f.toString());
            return null;
        });
    }

    private IdempotencyStore.Held held(Claim claim, ContainerResponseContext response) throws JsonProcessingException {
        Object entity = response.getEntity();
        String body = entity == null ? null : entity instanceof String s ? s : mapper.writeValueAsString(entity);
        Object location = response.getHeaders().getFirst(HttpHeaders.LOCATION);
        return new IdempotencyStore.Held(claim.fingerprint(), response.getStatus(),
                response.getMediaType() == null ? MediaType.APPLICATION_JSON : response.getMediaType().toString(),
                location == null ? null : location.toString(), body);
    }

    /**
     * Ends a {@code TRANSACTION} route's creating transaction: with a 2xx answer, stores it with the key and commits
     * (a failed commit turns the answer into a 503, since nothing was created); otherwise rolls back, which frees the
     * key as a refused attempt does. Nothing to do when the route ended before its transaction, or replayed.
     */
    private Uni<Void> commit(Claim claim, ContainerResponseContext response) {
        Parked parked = claim.parked().getAndSet(null);
        if (parked == null) {
            return claim.ended();
        }
        if (response.getStatus() / 100 != 2) {
            return IdempotentTransactions.rollback(parked).chain(claim::ended);
        }
        IdempotencyStore.Held done;
        try {
            done = held(claim, response);
        } catch (JsonProcessingException e) {
            LOG.warnf("could not keep an idempotent answer, nothing was created: %s", e.toString());
            notCreated(response);
            return IdempotentTransactions.rollback(parked).chain(claim::ended);
        }
        return transactional.answerIn(parked.connection(), claim.key(), done)
                .chain(() -> parked.transaction().commit())
                .onFailure().invoke(f -> {
                    LOG.warnf("could not commit an idempotent creation, nothing was created: %s", f.toString());
                    notCreated(response);
                })
                .onFailure().call(f -> parked.transaction().rollback().onFailure().recoverWithNull())
                .onFailure().recoverWithNull()
                .eventually(() -> parked.connection().close())
                .chain(claim::ended);
    }

    private static void notCreated(ContainerResponseContext response) {
        String detail = "the request could not be committed and created nothing; retry it with the same "
                + HEADER;
        response.setStatus(503);
        response.getHeaders().remove(HttpHeaders.LOCATION);
        response.getHeaders().putSingle(HttpHeaders.RETRY_AFTER, "1");
        response.setEntity(new Problem(Problem.typeFor("not_committed"), "Service Unavailable", 503, "not_committed",
                detail, null, List.of(), Map.of()), null, MediaType.valueOf(Problem.MEDIA_TYPE));
    }

    private static Uni<Void> release(Claim claim) {
        return claim.store().release(claim.key(), claim.fingerprint()).onFailure().recoverWithItem(f -> {
            LOG.debugf("could not free an idempotency key: %s", f.toString());
            return null;
        });
    }

    static boolean isValidKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    private static ProblemException conflict(String code, String message) {
        return new ProblemException(409, code, HEADER + ": " + message, List.of(new FieldViolation(HEADER, message)),
                Map.of());
    }

    /** Method, path and SHA-256 of the body: what makes a retry "the same request". */
    private static String fingerprint(ContainerRequestContext request) {
        MessageDigest digest = sha256();
        digest.update((request.getMethod() + ' ' + request.getUriInfo().getPath() + '\n')
                .getBytes(StandardCharsets.UTF_8));
        if (request.hasEntity()) {
            digest.update(body(request));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The body: already buffered for a non-blocking route that reads one; read here (and kept for the method) on a
     * blocking route's worker thread. A non-blocking route that takes no body leaves it unread, and reading it would
     * block the event loop; its outcome cannot depend on a body, so none is part of its fingerprint.
     */
    private static byte[] body(ContainerRequestContext request) {
        InputStream in = request.getEntityStream();
        if (!(in instanceof ByteArrayInputStream) && !BlockingOperationControl.isBlockingAllowed()) {
            return new byte[0];
        }
        try {
            byte[] bytes = in.readAllBytes();
            request.setEntityStream(new ByteArrayInputStream(bytes));
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
