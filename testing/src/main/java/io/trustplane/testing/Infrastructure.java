package io.trustplane.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.Properties;

/**
 * The real PostgreSQL and Redis that tests and {@code ./trustplane up} run against: embedded servers on
 * random free ports (zonky's PostgreSQL binaries, codemonstur's Redis), or existing servers when
 * {@code TRUSTPLANE_PG_URL} / {@code TRUSTPLANE_REDIS_URL} are set. Each service gets its own database.
 * The embedded Redis keeps an append-only file in {@code redisdata} next to the PostgreSQL data directory (a
 * scratch directory for tests), so a restart keeps ceilings and rate-limit budgets.
 */
public final class Infrastructure implements AutoCloseable {

    public static final String PG_URL_ENV = "TRUSTPLANE_PG_URL";
    public static final String REDIS_URL_ENV = "TRUSTPLANE_REDIS_URL";
    /** on (default) or off: whether a durable embedded PostgreSQL's commits wait for their WAL flush. */
    public static final String PG_SYNCHRONOUS_COMMIT_ENV = "TRUSTPLANE_PG_SYNCHRONOUS_COMMIT";

    /** How the embedded servers are tuned: tests trade durability for speed, {@code up} keeps it. */
    public record Options(boolean durable, int maxConnections, java.nio.file.Path dataDirectory, int pgPort,
            int redisPort) {
        public static Options forTests() {
            return new Options(false, 300, null, 0, 0);
        }
    }

    private static Infrastructure shared;
    private static int sharedUsers;

    private volatile EmbeddedPostgres postgres;
    private final RedisServer redis;
    private final PgEndpoint pg;
    private final String redisUrl;
    private final Options options;
    private final Path pgData;
    private final boolean scratchData;
    private Path redisData;
    private boolean scratchRedisData;

    private Infrastructure(EmbeddedPostgres postgres, RedisServer redis, PgEndpoint pg, String redisUrl,
            Options options, Path pgData, boolean scratchData) {
        this.postgres = postgres;
        this.redis = redis;
        this.pg = pg;
        this.redisUrl = redisUrl;
        this.options = options;
        this.pgData = pgData;
        this.scratchData = scratchData;
    }

    /** One instance per JVM, shared by every test class; stopped when its last user releases it. */
    public static synchronized Infrastructure acquireShared() {
        if (shared == null) {
            shared = start(Options.forTests(), System.getenv());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                synchronized (Infrastructure.class) {
                    if (shared != null) {
                        shared.close();
                        shared = null;
                    }
                }
            }, "trustplane-infrastructure-stop"));
        }
        sharedUsers++;
        return shared;
    }

    /** The shared instance a running test resource started; fails if none is running. */
    public static synchronized Infrastructure acquireSharedIfRunning() {
        if (shared == null) {
            throw new IllegalStateException("no test infrastructure is running in this JVM");
        }
        return shared;
    }

    public static synchronized void releaseShared() {
        if (--sharedUsers <= 0 && shared != null) {
            shared.close();
            shared = null;
            sharedUsers = 0;
        }
    }

    /** Starts what the environment does not already provide. */
    public static Infrastructure start(Options options, Map<String, String> env) {
        EmbeddedPostgres postgres = null;
        RedisServer redis = null;
        Path pgData = null;
        Path redisData = null;
        boolean scratch = false;
        try {
            PgEndpoint pg;
            String pgUrl = env.get(PG_URL_ENV);
            if (pgUrl != null && !pgUrl.isBlank()) {
                pg = PgEndpoint.parse(pgUrl);
            } else {
                // a data directory of our own (kept across stopPostgres/startPostgres, removed by close)
                scratch = options.dataDirectory() == null;
                pgData = scratch ? Files.createTempDirectory("trustplane-pg-") : options.dataDirectory();
                postgres = startPostgres(options, pgData, options.pgPort(), !scratch, env);
                pg = new PgEndpoint("127.0.0.1", postgres.getPort(), "postgres", "");
            }
            String redisUrl = env.get(REDIS_URL_ENV);
            if (redisUrl == null || redisUrl.isBlank()) {
                int port = options.redisPort() > 0 ? options.redisPort() : freePort();
                redisData = options.dataDirectory() == null ? Files.createTempDirectory("trustplane-redis-")
                        : Files.createDirectories(options.dataDirectory().resolveSibling("redisdata"));
                // AOF: a killed redis-server loses nothing it acknowledged (each write reaches the kernel before the
                // reply). `up` fsyncs once a second (a host crash can lose the last second or two); tests leave
                // flushing to the OS, as their PostgreSQL runs without fsync: on a busy disk an fsync taking over
                // 2 s makes Redis hold writes, and the tests' clients time out
                redis = RedisServer.newRedisServer()
                        .port(port)
                        .bind("127.0.0.1")
                        .setting("dir \"" + redisData.toAbsolutePath() + "\"")
                        .setting("save \"\"")
                        .setting("appendonly yes")
                        .setting("appendfsync " + (options.durable() ? "everysec" : "no"))
                        .setting("maxclients 10000")
                        .onShutdownForceStop(true)
                        .build();
                redis.start();
                redisUrl = "redis://127.0.0.1:" + port;
            }
            Infrastructure infra = new Infrastructure(postgres, redis, pg, redisUrl, options, pgData, scratch);
            infra.redisData = redisData;
            infra.scratchRedisData = redisData != null && options.dataDirectory() == null;
            if (scratch || infra.scratchRedisData) {
                Runtime.getRuntime().addShutdownHook(new Thread(infra::close, "trustplane-pg-scratch-cleanup"));
            }
            return infra;
        } catch (IOException | RuntimeException e) {
            stopQuietly(postgres, redis);
            if (scratch) {
                deleteQuietly(pgData);
            }
            if (options.dataDirectory() == null) {
                deleteQuietly(redisData);
            }
            throw new IllegalStateException("could not start PostgreSQL/Redis: " + e.getMessage(), e);
        }
    }

    private static EmbeddedPostgres startPostgres(Options options, Path dataDirectory, int port,
            boolean zonkyShutdownHook, Map<String, String> env) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPgBinaryResolver(new UnprivilegedPgBinaryResolver())
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", Integer.toString(options.maxConnections()))
                .setServerConfig("unix_socket_directories", "")
                .setServerConfig("shared_buffers", "128MB");
        if (!options.durable()) {
            builder.setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off");
        } else {
            // the embedded server's own defaults are a test database's (it starts postgres with -F, fsync off, and
            // synchronous_commit off): durable means PostgreSQL's defaults, and a commit waits for its WAL flush
            // unless TRUSTPLANE_PG_SYNCHRONOUS_COMMIT=off (what `up` runs: like Redis' everysec, a host crash can
            // lose the last fraction of a second of commits, never corrupt the data)
            String synchronous = env.getOrDefault(PG_SYNCHRONOUS_COMMIT_ENV, "on");
            if (!Set.of("on", "off").contains(synchronous)) {
                throw new IllegalArgumentException(PG_SYNCHRONOUS_COMMIT_ENV + " must be on or off, not '"
                        + synchronous + "'");
            }
            builder.setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", synchronous)
                    .setServerConfig("full_page_writes", "on");
        }
        if (port > 0) {
            builder.setPort(port);
        }
        // never cleaned by zonky: a scratch directory must survive a restart, and close() removes it
        builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false)
                .setRegisterShutdownHook(zonkyShutdownHook);
        return builder.start();
    }

    public PgEndpoint postgres() {
        return pg;
    }

    public String redisUrl() {
        return redisUrl;
    }

    public int redisPort() {
        return URI.create(redisUrl).getPort();
    }

    /** Creates the database if it does not exist yet. */
    public void createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        Properties props = new Properties();
        props.setProperty("user", pg.user());
        if (!pg.password().isEmpty()) {
            props.setProperty("password", pg.password());
        }
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), props);
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) {
                return; // created concurrently
            }
            throw new IllegalStateException("could not create database " + name + " at " + pg.host() + ":"
                    + pg.port() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops PostgreSQL only (Redis keeps running): for tests of what a service does while it is down. A clean
     * (fast) shutdown: every committed transaction is on disk, and {@link #startPostgres()} brings the same
     * data back on the same port.
     */
    public synchronized void stopPostgres() {
        requireEmbedded(postgres, "PostgreSQL");
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the embedded PostgreSQL stopped by {@link #stopPostgres()} again: same port, same data directory. */
    public synchronized void startPostgres() {
        requireEmbedded(postgres, "PostgreSQL");
        if (postgresRunning()) {
            return;
        }
        try {
            postgres = startPostgres(options, pgData, pg.port(), !scratchData, System.getenv());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The embedded PostgreSQL's data directory (null when PostgreSQL is external). */
    public Path postgresDataDirectory() {
        return pgData;
    }

    /** Whether the embedded PostgreSQL accepts connections (false while stopped). */
    public boolean postgresRunning() {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(pg.host(), pg.port()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Stops the embedded Redis and waits until its process has exited (so its port is free again: a {@link
     * #startRedis()} right after would otherwise race the old process for it); {@link #startRedis()} brings it back
     * on the same port.
     */
    public void stopRedis() {
        requireEmbedded(redis, "Redis");
        long pid = runningRedisPid();
        try {
            redis.stop();
            if (pid > 0) {
                ProcessHandle.of(pid).ifPresent(p -> {
                    try {
                        p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                        throw new IllegalStateException("the embedded Redis (pid " + pid + ") did not exit", e);
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void startRedis() {
        requireEmbedded(redis, "Redis");
        try {
            redis.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean embeddedRedis() {
        return redis != null;
    }

    /** The embedded Redis' directory (its append-only file); null when Redis is external. */
    public Path redisDataDirectory() {
        return redisData;
    }

    /**
     * Freezes the embedded Redis with SIGSTOP: it keeps its connections and accepts new ones, but answers
     * nothing, as a stalled host would. {@link #thawRedis()} (SIGCONT) lets it carry on where it stopped.
     */
    public void freezeRedis() {
        signalRedis("-STOP");
    }

    public void thawRedis() {
        signalRedis("-CONT");
    }

    private void signalRedis(String signal) {
        requireEmbedded(redis, "Redis");
        if (signal.equals("-STOP")) {
            redisPid = redisProcessId();
        }
        if (redisPid <= 0) {
            throw new IllegalStateException("the embedded Redis was not frozen here");
        }
        try {
            Process kill = new ProcessBuilder("kill", signal, Long.toString(redisPid)).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + signal + " " + redisPid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private volatile long redisPid;

    /** The running Redis' process id: asked, or the one frozen by {@link #freezeRedis()}; 0 when not running. */
    private long runningRedisPid() {
        try {
            return redisProcessId();
        } catch (RuntimeException notAnswering) {
            return redisPid;
        }
    }

    /** Asks the running Redis for its process id ({@code INFO server}, {@code process_id:}). */
    private long redisProcessId() {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", redisPort())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("INFO server\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("process_id:")) {
                    return Long.parseLong(line.substring("process_id:".length()).trim());
                }
            }
            throw new IllegalStateException("Redis' INFO server named no process_id");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireEmbedded(Object server, String what) {
        if (server == null) {
            throw new IllegalStateException(what + " is external (set by environment); it cannot be stopped here");
        }
    }

    @Override
    public synchronized void close() {
        stopQuietly(postgres, redis);
        if (scratchData) {
            deleteQuietly(pgData);
        }
        if (scratchRedisData) {
            deleteQuietly(redisData);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // best effort: a temporary directory
        }
    }

    private static void stopQuietly(EmbeddedPostgres postgres, RedisServer redis) {
        if (redis != null) {
            try {
                if (redis.isActive()) {
                    redis.stop();
                }
            } catch (IOException | RuntimeException ignored) {
                // best effort at shutdown
            }
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException | RuntimeException ignored) {
                // best effort at shutdown
            }
        }
    }

    /**
     * A free port remembered in the system property {@code property}: a {@code @QuarkusTest} class is loaded by
     * JUnit's and by Quarkus' class loaders, and both must see the same port (the fake server's, a closed one).
     */
    public static synchronized int sharedFreePort(String property) {
        String known = System.getProperty(property);
        if (known != null) {
            return Integer.parseInt(known);
        }
        int port = freePort();
        System.setProperty(property, String.valueOf(port));
        return port;
    }

    /**
     * A port nothing listens on now, below the kernel's ephemeral range and never handed out before by this process.
     * A port from the ephemeral range (what binding port 0 gives) can be taken as the local port of an outgoing
     * connection — a service's PostgreSQL or Redis client — between being chosen and being bound by the server it
     * was chosen for ("port in use" at start-up, seen in CI); no outgoing connection takes one below that range.
     */
    public static int freePort() {
        int below = ephemeralRangeStart();
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 500 && below > 10_000; attempt++) {
            int port = random.nextInt(10_000, below);
            if (HANDED_OUT.add(port)) {
                try (ServerSocket socket = new ServerSocket(port)) {
                    socket.setReuseAddress(true);
                    return port;
                } catch (IOException inUse) {
                    // taken: try another
                }
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The kernel's ephemeral port range, read in one call (a sysctl file answers nothing at a later offset). */
    static String ephemeralRange() throws IOException {
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            return new String(in.readNBytes(64), java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    private static int ephemeralRangeStart() {
        try {
            return Integer.parseInt(ephemeralRange().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768; // Linux's default start
        }
    }
}
