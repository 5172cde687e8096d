package io.trustplane.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The real PostgreSQL and Redis that tests and {@code ./trustplane up} run against: embedded servers on
 * random free ports (zonky's PostgreSQL binaries, codemonstur's Redis), or existing servers when
 * {@code TRUSTPLANE_PG_URL} / {@code TRUSTPLANE_REDIS_URL} are set. Each service gets its own database.
 */
public final class Infrastructure implements AutoCloseable {

    public static final String PG_URL_ENV = "TRUSTPLANE_PG_URL";
    public static final String REDIS_URL_ENV = "TRUSTPLANE_REDIS_URL";

    /** How the embedded servers are tuned: tests trade durability for speed, {@code up} keeps it. */
    public record Options(boolean durable, int maxConnections, java.nio.file.Path dataDirectory, int pgPort,
            int redisPort) {
        public static Options forTests() {
            return new Options(false, 300, null, 0, 0);
        }
    }

    private static Infrastructure shared;
    private static int sharedUsers;

    private final EmbeddedPostgres postgres;
    private final RedisServer redis;
    private final PgEndpoint pg;
    private final String redisUrl;

    private Infrastructure(EmbeddedPostgres postgres, RedisServer redis, PgEndpoint pg, String redisUrl) {
        this.postgres = postgres;
        this.redis = redis;
        this.pg = pg;
        this.redisUrl = redisUrl;
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
        try {
            PgEndpoint pg;
            String pgUrl = env.get(PG_URL_ENV);
            if (pgUrl != null && !pgUrl.isBlank()) {
                pg = PgEndpoint.parse(pgUrl);
            } else {
                postgres = startPostgres(options);
                pg = new PgEndpoint("127.0.0.1", postgres.getPort(), "postgres", "");
            }
            String redisUrl = env.get(REDIS_URL_ENV);
            if (redisUrl == null || redisUrl.isBlank()) {
                int port = options.redisPort() > 0 ? options.redisPort() : freePort();
                redis = RedisServer.newRedisServer()
                        .port(port)
                        .bind("127.0.0.1")
                        .setting("save \"\"")
                        .setting("appendonly no")
                        .setting("maxclients 10000")
                        .onShutdownForceStop(true)
                        .build();
                redis.start();
                redisUrl = "redis://127.0.0.1:" + port;
            }
            return new Infrastructure(postgres, redis, pg, redisUrl);
        } catch (IOException | RuntimeException e) {
            stopQuietly(postgres, redis);
            throw new IllegalStateException("could not start PostgreSQL/Redis: " + e.getMessage(), e);
        }
    }

    private static EmbeddedPostgres startPostgres(Options options) throws IOException {
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
        }
        if (options.pgPort() > 0) {
            builder.setPort(options.pgPort());
        }
        if (options.dataDirectory() != null) {
            builder.setDataDirectory(options.dataDirectory()).setCleanDataDirectory(false);
        }
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

    /** Stops PostgreSQL only (Redis keeps running): for tests of what a service does while it is down. */
    public void stopPostgres() {
        requireEmbedded(postgres, "PostgreSQL");
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the embedded Redis; {@link #startRedis()} brings it back on the same port. */
    public void stopRedis() {
        requireEmbedded(redis, "Redis");
        try {
            redis.stop();
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

    private static void requireEmbedded(Object server, String what) {
        if (server == null) {
            throw new IllegalStateException(what + " is external (set by environment); it cannot be stopped here");
        }
    }

    @Override
    public void close() {
        stopQuietly(postgres, redis);
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

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
