package io.trustplane.e2e;

import com.sun.net.httpserver.HttpServer;
import io.trustplane.testing.Infrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.trustplane.e2e.Flows.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** An alert raised by another service's event reaches a subscribed webhook, signed so the receiver can verify it. */
@ExtendWith(E2e.Extension.class)
class WebhookDeliveryTest {

    private final E2e suite;

    WebhookDeliveryTest(E2e suite) {
        this.suite = suite;
    }

    private record Received(String signature, String body) {
    }

    /** The receiver's check: HMAC-SHA256(secret, "<t>.<body>") in hex equals v1 (computed with the JDK here). */
    private static boolean verifies(String secret, Received r) throws Exception {
        Map<String, String> parts = new HashMap<>();
        for (String p : r.signature().split(",")) {
            String[] kv = p.split("=", 2);
            parts.put(kv[0], kv[1]);
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((parts.get("t") + "." + r.body()).getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(expected, HexFormat.of().parseHex(parts.get("v1")));
    }

    @Test
    void aGamingAlertIsDeliveredWithAValidSignature() throws Exception {
        List<Received> received = new CopyOnWriteArrayList<>();
        int port = Infrastructure.freePort();
        HttpServer server = HttpServer.create(new InetSocketAddress(suite.receiverBind(), port), 0);
        server.createContext("/hook", ex -> {
            received.add(new Received(ex.getRequestHeaders().getFirst("X-Webhook-Signature"),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        String secret = "e2e-webhook-secret-" + unique("s");
        String subscription = null;
        try {
            subscription = suite.as("telemetry", suite.admin()).body(Map.of("name", unique("e2e-hook"), "kind", "WEBHOOK",
                    "url", "http://" + suite.receiverHost() + ":" + port + "/hook", "secret", secret)).post("/v1/subscriptions").then()
                    .statusCode(201).extract().path("id");

            String agent = unique("prober");
            suite.as("gate", suite.operator()).body(Map.of("trustScore", 300, "frameworks", List.of(),
                    "attributes", Map.of("team", "e2e"))).put("/v1/agents/" + agent).then().statusCode(200);
            Map<String, Object> body = new HashMap<>();
            body.put("agentId", agent);
            body.put("role", "OBSERVER");
            body.put("tier", "PRIVILEGED");
            body.put("context", Map.of("resourceId", "d", "action", "read"));
            suite.as("gate", suite.agent(agent)).body(body).post("/v1/role-gates/evaluate").then().statusCode(200)
                    .body("decision", equalTo("DENY"));

            await().atMost(Duration.ofSeconds(60)).until(() -> received.stream().anyMatch(r -> r.body().contains(agent)));
            Received delivery = received.stream().filter(r -> r.body().contains(agent)).findFirst().orElseThrow();
            assertThat(delivery.signature()).matches("t=\\d+,v1=[0-9a-f]{64}");
            assertThat(verifies(secret, delivery)).isTrue();
            assertThat(verifies(secret + "x", delivery)).isFalse();
            assertThat(delivery.body()).contains("BOUNDARY_TESTING");
        } finally {
            if (subscription != null) {
                suite.as("telemetry", suite.admin()).delete("/v1/subscriptions/" + subscription);
            }
            server.stop(0);
        }
    }
}
