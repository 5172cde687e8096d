package io.trustplane.e2e;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.trustplane.launcher.ServiceSpec;
import io.trustplane.launcher.SharedSuite;
import io.trustplane.launcher.Suite;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.TokenMinter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole suite, started once for every e2e test class (JUnit extension, stopped with the root context): the four
 * packaged services on random ports with test-friendly settings, tokens, and raw access to its Redis.
 *
 * <p>Or a suite running elsewhere ({@link #against}): the containers module runs these classes against its Compose
 * project, given as a {@link Target} (base URLs, token minter, database and Redis addresses). Tests that need the
 * launcher's own processes or embedded servers (stopping Redis) are aborted there with a reason.
 */
public final class E2e implements ExtensionContext.Store.CloseableResource {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /**
     * Settings given to every service. Only intervals and the local webhook receiver change; rules, thresholds and
     * windows are the shipped ones.
     */
    static final Map<String, String> PROPERTIES = settings("127.0.0.1");

    /** {@link #PROPERTIES}, with the webhook receivers reached at {@code receiverHost} (a suite elsewhere: the host). */
    public static Map<String, String> settings(String receiverHost) {
        return Map.of(
                // the test's webhook receiver listens on the host the services reach it at
                "trustplane.telemetry.notifications.allowed-hosts", receiverHost,
                "trustplane.telemetry.notifications.retry-delay", "PT0.1S",
                // the rollout guard's pass every second instead of every 15 s (triggers and windows unchanged)
                "trustplane.telemetry.rollout.check-interval", "1s");
    }

    /** A suite running elsewhere, reached only through addresses: everything a test needs of it besides the APIs. */
    public interface Target {

        /** Base URL of a service by short name (lease, provenance, gate, telemetry). */
        String url(String shortName);

        /** Mints tokens the suite's services accept. */
        TokenMinter tokens();

        /** A producer's tp:anchor key ("lease-service", ...). */
        byte[] anchorKey(String service);

        /** A connection to a service's own database (short name). */
        java.sql.Connection database(String shortName) throws java.sql.SQLException;

        /** The suite's Redis, redis://host:port. */
        URI redis();

        /** The host name the services reach a receiver on this machine at; such receivers listen on all addresses. */
        String receiverHost();
    }

    private static volatile Target elsewhere;

    /** Runs the e2e classes started after this against {@code target} instead of starting the launcher's suite. */
    public static void against(Target target) {
        elsewhere = target;
    }

    /** The launcher's suite, or null when the tests run against a {@link Target}. */
    private final Suite suite;
    private final Target target;
    private final Map<String, String> urls = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread hook = new Thread(this::stop, "e2e-suite-stop");

    private E2e(Suite suite) {
        this.suite = suite;
        this.target = null;
        Runtime.getRuntime().addShutdownHook(hook);
        suite.services().forEach(r -> urls.put(r.spec().shortName(), r.url()));
    }

    private E2e(Target target) {
        this.suite = null;
        this.target = target;
        for (ServiceSpec spec : ServiceSpec.ALL) {
            urls.put(spec.shortName(), target.url(spec.shortName()));
        }
    }

    static E2e start() throws IOException {
        Target t = elsewhere;
        if (t != null) {
            return new E2e(t);
        }
        for (ServiceSpec spec : ServiceSpec.ALL) {
            assertThat(spec.jar(ROOT)).as("%s must be packaged first (the reactor builds it before this module)",
                    spec.name()).isRegularFile();
        }
        Map<ServiceSpec, Integer> ports = new LinkedHashMap<>();
        ServiceSpec.ALL.forEach(s -> ports.put(s, Infrastructure.freePort()));
        Path state = Files.createTempDirectory("trustplane-e2e");
        return new E2e(Suite.start(new Suite.Config(ROOT, state, ports, false, System.getenv(),
                Duration.ofSeconds(240)), PROPERTIES));
    }

    /** The host name the services reach a webhook receiver of this test at. */
    String receiverHost() {
        return target == null ? "127.0.0.1" : target.receiverHost();
    }

    /** Where such a receiver listens: loopback for the launcher's suite, every address for a suite elsewhere. */
    String receiverBind() {
        return target == null ? "127.0.0.1" : "0.0.0.0";
    }

    TokenMinter tokens() {
        return target != null ? target.tokens() : suite.keys().minter();
    }

    String url(String shortName) {
        return urls.get(shortName);
    }

    /** A request to one service as {@code token}. */
    RequestSpecification as(String service, String token) {
        return RestAssured.given().baseUri(url(service)).auth().oauth2(token).contentType("application/json");
    }

    String operator() {
        return tokens().operator();
    }

    String admin() {
        return tokens().admin();
    }

    String agent(String id) {
        return tokens().agent(id);
    }

    /** The producers' anchor key, as the suite provisioned it. */
    byte[] anchorKey(String service) {
        return target != null ? target.anchorKey(service) : suite.keys().anchorKey(service);
    }

    private java.sql.Connection database(String service) throws java.sql.SQLException {
        if (target != null) {
            return target.database(service);
        }
        var pg = suite.infrastructure().postgres();
        return java.sql.DriverManager.getConnection(pg.jdbcUrl(ServiceSpec.byName(service).database()), pg.user(),
                pg.password());
    }

    /** Runs one SQL statement in a service's database (what an attacker with database access could do). */
    int sql(String service, String statement, Object... args) throws java.sql.SQLException {
        try (var c = database(service); var ps = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    /** Runs one SQL query in a service's database and returns the first column of its single row. */
    long count(String service, String query, Object... args) throws java.sql.SQLException {
        try (var c = database(service); var ps = c.prepareStatement(query)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The suite's embedded PostgreSQL and Redis, for tests that stop and start them. */
    io.trustplane.testing.Infrastructure infrastructure() {
        Assumptions.assumeTrue(suite != null, "needs the launcher's embedded PostgreSQL and Redis (stops and starts "
                + "them); a suite elsewhere is reached only through its addresses");
        return suite.infrastructure();
    }

    /**
     * Stops one service gracefully and starts it again on the same port (same URL), returning once it is ready: what
     * a deploy or a crash-and-reschedule does to a replica.
     */
    Suite.Running restart(String service) {
        Assumptions.assumeTrue(suite != null, "restarts one of the launcher's service processes");
        return suite.restart(suite.service(ServiceSpec.byName(service)));
    }

    /**
     * Starts one more instance of a service on a free port, on the suite's PostgreSQL and Redis, with
     * {@code properties} on top of the suite's; {@link #stop(Suite.Running)} it when done.
     */
    Suite.Running startReplica(String service, Map<String, String> properties) {
        Assumptions.assumeTrue(suite != null, "starts another service process beside the launcher's");
        return suite.startReplica(ServiceSpec.byName(service), Infrastructure.freePort(), properties);
    }

    /** Stops an instance started by {@link #startReplica}. */
    void stop(Suite.Running replica) {
        suite.stop(replica);
    }

    private URI redisUri() {
        return target != null ? target.redis() : URI.create(suite.infrastructure().redisUrl());
    }

    /** The base URLs of the four services. */
    List<String> urls() {
        return List.copyOf(urls.values());
    }

    /**
     * Sends one command to the suite's Redis and returns its whole reply: a String (simple or bulk, null for a nil),
     * a Long, or a List of those; an error reply is an {@link IOException}.
     */
    Object redisReply(String... args) throws IOException {
        URI uri = redisUri();
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(command(args));
            out.flush();
            return reply(new java.io.BufferedInputStream(socket.getInputStream()));
        }
    }

    private static byte[] command(String... args) {
        StringBuilder cmd = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            cmd.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return cmd.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Object reply(InputStream in) throws IOException {
        String line = line(in);
        String rest = line.substring(1);
        switch (line.charAt(0)) {
            case '+':
                return rest;
            case '-':
                throw new IOException("Redis: " + rest);
            case ':':
                return Long.parseLong(rest);
            case '$': {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n + 2);
                return new String(b, 0, n, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(rest);
                List<Object> items = new java.util.ArrayList<>(Math.max(n, 0));
                for (int i = 0; i < n; i++) {
                    items.add(reply(in));
                }
                return items;
            }
            default:
                throw new IOException("unexpected Redis reply: " + line);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            line.append((char) c);
        }
        return line.toString().trim();
    }

    /** Sends one command to the suite's Redis (RESP) and returns the first line of the reply. */
    String redis(String... args) throws IOException {
        URI uri = redisUri();
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            StringBuilder cmd = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                cmd.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(cmd.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                line.append((char) c);
            }
            return line.toString().trim();
        }
    }

    private void stop() {
        if (closed.compareAndSet(false, true)) {
            suite.close();
        }
    }

    @Override
    public void close() {
        if (suite == null) {
            return; // a suite elsewhere belongs to whoever started it
        }
        List<Integer> ports = suite.services().stream().map(Suite.Running::port).toList();
        List<ProcessHandle> processes = suite.services().stream().map(r -> r.process().toHandle()).toList();
        Runtime.getRuntime().removeShutdownHook(hook);
        stop();
        SharedSuite.assertStopped(processes, ports);
    }

    /** Starts the suite before the first test class that declares it as a parameter and hands it to every one. */
    static final class Extension extends SharedSuite.EagerResolver<E2e> {

        Extension() {
            super(E2e.class, E2e::start);
        }
    }
}
