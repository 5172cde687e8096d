package io.trustplane.testing;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InfrastructureTest {

    @Test
    void startsRealPostgresAndRedisOnFreePortsAndStopsThem() throws Exception {
        int pgPort;
        int redisPort;
        try (Infrastructure infra = Infrastructure.start(Infrastructure.Options.forTests(), Map.of())) {
            infra.createDatabase("trustplane_probe");
            infra.createDatabase("trustplane_probe"); // idempotent
            pgPort = infra.postgres().port();
            redisPort = infra.redisPort();
            try (Connection c = DriverManager.getConnection(infra.postgres().jdbcUrl("trustplane_probe"), "postgres", "");
                    ResultSet rs = c.createStatement().executeQuery("SELECT current_database(), version()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("trustplane_probe");
                assertThat(rs.getString(2)).startsWith("PostgreSQL 17");
            }
            assertThat(redisPing(redisPort)).isEqualTo("+PONG");
        }
        assertThat(portOpen(pgPort)).as("PostgreSQL stopped").isFalse();
        assertThat(portOpen(redisPort)).as("Redis stopped").isFalse();
    }

    @Test
    void postgresRestartsOnTheSamePortWithItsDataAndTheScratchDirectoryIsRemovedOnClose() throws Exception {
        int pgPort;
        java.nio.file.Path data;
        try (Infrastructure infra = Infrastructure.start(Infrastructure.Options.forTests(), Map.of())) {
            data = infra.postgresDataDirectory();
            assertThat(data.resolve("PG_VERSION")).exists();
            infra.createDatabase("trustplane_restart");
            pgPort = infra.postgres().port();
            String url = infra.postgres().jdbcUrl("trustplane_restart");
            try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
                c.createStatement().execute("CREATE TABLE kept (v text)");
                c.createStatement().execute("INSERT INTO kept VALUES ('before restart')");
            }
            infra.stopPostgres();
            assertThat(portOpen(pgPort)).as("PostgreSQL stopped").isFalse();
            assertThat(infra.postgresRunning()).isFalse();

            infra.startPostgres();
            assertThat(infra.postgres().port()).isEqualTo(pgPort);
            assertThat(infra.postgresRunning()).isTrue();
            try (Connection c = DriverManager.getConnection(url, "postgres", "");
                    ResultSet rs = c.createStatement().executeQuery("SELECT v FROM kept")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("before restart");
            }
            infra.startPostgres(); // already running: nothing happens
            assertThat(infra.postgresRunning()).isTrue();
        }
        assertThat(portOpen(pgPort)).as("PostgreSQL stopped").isFalse();
        assertThat(data).as("the scratch data directory is removed").doesNotExist();
    }

    @Test
    void aDurablePostgresRunsWithPostgresDefaultsForFlushingAndUpMayOnlyLetCommitsNotWait() throws Exception {
        // the embedded server's own defaults (postgres -F, synchronous_commit=off) are a test database's: durable
        // must mean what a PostgreSQL installed from a package does (SHOW answers from the running server)
        for (String synchronous : new String[] {null, "off"}) {
            java.nio.file.Path data = java.nio.file.Files.createTempDirectory("tp-durable-");
            Map<String, String> env = synchronous == null ? Map.of()
                    : Map.of(Infrastructure.PG_SYNCHRONOUS_COMMIT_ENV, synchronous);
            try (Infrastructure infra = Infrastructure.start(new Infrastructure.Options(true, 20,
                    data.resolve("pgdata"), 0, 0), env);
                    Connection c = DriverManager.getConnection(infra.postgres().jdbcUrl("postgres"), "postgres", "")) {
                assertThat(show(c, "fsync")).isEqualTo("on");
                assertThat(show(c, "full_page_writes")).isEqualTo("on");
                assertThat(show(c, "synchronous_commit")).isEqualTo(synchronous == null ? "on" : "off");
            } finally {
                try (var files = java.nio.file.Files.walk(data)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
        try (Infrastructure infra = Infrastructure.start(Infrastructure.Options.forTests(), Map.of());
                Connection c = DriverManager.getConnection(infra.postgres().jdbcUrl("postgres"), "postgres", "")) {
            assertThat(show(c, "fsync")).isEqualTo("off");
            assertThat(show(c, "synchronous_commit")).isEqualTo("off");
        }
    }

    private static String show(Connection c, String setting) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery("SHOW " + setting)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void parsesExternalServerUrls() {
        PgEndpoint pg = PgEndpoint.parse("postgresql://app:secret@db.local:6543/ignored");
        assertThat(pg).isEqualTo(new PgEndpoint("db.local", 6543, "app", "secret"));
        assertThat(PgEndpoint.parse("jdbc:postgresql://127.0.0.1/x?user=root")).isEqualTo(
                new PgEndpoint("127.0.0.1", 5432, "root", ""));
    }

    @Test
    void devKeysAreReloadedNotRegenerated() throws Exception {
        DevKeys first = DevKeys.temporary();
        DevKeys again = DevKeys.loadOrCreate(first.directory());
        assertThat(again.jwt().getPublic()).isEqualTo(first.jwt().getPublic());
        assertThat(again.log().getPublic()).isEqualTo(first.log().getPublic());
        assertThat(first.minter().agent("agent-7").split("\\.")).hasSize(3);
    }

    private static String redisPing(int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    private static boolean portOpen(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
