package io.trustplane.provenance;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.trustplane.testing.log.C2spNote;
import io.trustplane.testing.log.NoteSigner;
import io.trustplane.testing.log.Rfc9162;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A C2SP tlog-witness written for tests, sharing no code with the service: it keeps the size and root it last
 * cosigned, checks the log's signature (testing module's C2spNote) and the consistency proof (testing module's
 * RFC 9162 verifier) itself, answers 409 with its size when {@code old} is not it, 422 when the proof fails, and
 * otherwise cosigns with cosignature/v1 (JDK Ed25519). It can be told to refuse (503) or to sign with another key.
 */
final class TestWitness implements AutoCloseable {

    final String name;
    private final NoteSigner key;
    private final int port;
    private HttpServer server;
    private volatile String logKey;
    private long size;
    private byte[] root = Rfc9162.sha256();
    volatile boolean refusing;
    final AtomicInteger conflicts = new AtomicInteger();
    final AtomicInteger rejected = new AtomicInteger();
    final AtomicInteger cosigned = new AtomicInteger();

    private TestWitness(String name, int port, KeyPair pair) {
        this.name = name;
        this.port = port;
        this.key = new NoteSigner(name, NoteSigner.COSIGNATURE_V1, pair);
    }

    /**
     * The witness known as {@code id} in this JVM: its port and key pair live in system properties, because a
     * Quarkus test profile (which writes the service's configuration) and the test instance (which runs the
     * server) are loaded by different class loaders and would otherwise each make their own.
     */
    static synchronized TestWitness shared(String id, String name) throws Exception {
        String prefix = "trustplane.test.witness." + id + ".";
        if (System.getProperty(prefix + "port") == null) {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            System.setProperty(prefix + "public", Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
            System.setProperty(prefix + "private", Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
            System.setProperty(prefix + "port", String.valueOf(io.trustplane.testing.Infrastructure.freePort()));
        }
        java.security.KeyFactory ed = java.security.KeyFactory.getInstance("Ed25519");
        KeyPair pair = new KeyPair(
                ed.generatePublic(new java.security.spec.X509EncodedKeySpec(
                        Base64.getDecoder().decode(System.getProperty(prefix + "public")))),
                ed.generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(
                        Base64.getDecoder().decode(System.getProperty(prefix + "private")))));
        return new TestWitness(name, Integer.parseInt(System.getProperty(prefix + "port")), pair);
    }

    /** Starts answering add-checkpoint on this witness's port. */
    TestWitness start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/add-checkpoint", this::handle);
        server.start();
        return this;
    }

    /** The log key this witness accepts checkpoints from. */
    void trust(String logVerifierKey) {
        this.logKey = logVerifierKey;
    }

    String vkey() throws Exception {
        return key.vkey();
    }

    String url() {
        return "http://127.0.0.1:" + port + "/add-checkpoint";
    }

    synchronized long size() {
        return size;
    }

    synchronized byte[] root() {
        return root.clone();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Answer a = refusing ? new Answer(503, "text/plain", "not now") : addCheckpoint(body);
            byte[] bytes = a.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", a.type);
            exchange.sendResponseHeaders(a.status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    /** An add-checkpoint answer. */
    record Answer(int status, String type, String body) {
    }

    /** The add-checkpoint rules of C2SP tlog-witness. */
    synchronized Answer addCheckpoint(String body) {
        int blank = body.indexOf("\n\n");
        if (!body.startsWith("old ") || blank < 0) {
            return new Answer(400, "text/plain", "malformed");
        }
        String[] head = body.substring(0, blank).split("\n");
        long old = Long.parseLong(head[0].substring(4));
        List<byte[]> proof = new ArrayList<>();
        for (int i = 1; i < head.length; i++) {
            proof.add(Base64.getDecoder().decode(head[i]));
        }
        String note = body.substring(blank + 2);
        C2spNote.Checkpoint cp;
        try {
            cp = C2spNote.verify(note, logKey);
        } catch (Exception e) {
            return new Answer(403, "text/plain", "not signed by the log: " + e.getMessage());
        }
        if (old > cp.size()) {
            return new Answer(400, "text/plain", "old size above the checkpoint's");
        }
        if (old != size) {
            conflicts.incrementAndGet();
            return new Answer(409, "text/x.tlog.size", size + "\n");
        }
        boolean consistent = old == cp.size() ? Arrays.equals(root, cp.root()) && proof.isEmpty()
                : old == 0 || Rfc9162.verifyConsistency(old, cp.size(), root, cp.root(), proof);
        if (!consistent) {
            rejected.incrementAndGet();
            return new Answer(422, "text/plain", "inconsistent with the checkpoint of size " + size);
        }
        size = cp.size();
        root = cp.root();
        cosigned.incrementAndGet();
        long time = System.currentTimeMillis() / 1000;
        try {
            return new Answer(200, "text/plain", key.cosign(note, time));
        } catch (Exception e) {
            return new Answer(500, "text/plain", e.toString());
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
    }
}
