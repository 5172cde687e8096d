package io.trustplane.provenance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trustplane.provenance.service.Sequencer;
import io.trustplane.testing.TestKeys;
import io.trustplane.testing.TrustplaneTestResource;
import io.trustplane.testing.log.C2spNote;
import io.trustplane.testing.log.Rfc9162;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The C2SP tlog-tiles routes, checked with code independent of the service's Merkle: one log grown from empty to
 * 600 records, and at every size the root recomputed from hash tiles (level 1 for complete 256-leaf blocks, level 0
 * for the rest) equals the signed checkpoint's and the RFC 6962 MTH of the entry bundles' leaves; inclusion proofs
 * assembled from tiles equal the JSON API's; and no tile served as full ever changes.
 */
@QuarkusTest
class TileResourceTest {

    private static final int SIZES = 600;
    private static final String PREFIX = "/v1/log/tiles";

    @Inject
    Sequencer sequencer;

    @ConfigProperty(name = "trustplane.test.database")
    String database;

    private static final String OPERATOR = TestKeys.tokens().operator();
    private static final String AGENT = TestKeys.tokens().agent("tiles-1");

    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    /** Every full tile as first served, by path. */
    private final Map<String, byte[]> full = new HashMap<>();

    @Test
    void everyTreeSizeFromOneTo600IsRebuiltFromTilesAndMatchesTheCheckpointAndTheJsonProofs() throws Exception {
        resetLog();
        String key = text(get("/v1/log/key", OPERATOR, 200));
        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= SIZES; n++) {
            JsonNode created = JSON.readTree(text(send(HttpRequest.newBuilder(uri("/v1/provenance"))
                    .header("Authorization", "Bearer " + AGENT).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"agentId\":\"tiles-1\",\"creationType\":\"FRESH\","
                            + "\"metadata\":{\"n\":" + n + "}}")), 201)));
            assertThat(created.get("leafIndex").asLong()).isEqualTo(n - 1);
            ids.add(created.get("id").asText());

            HttpResponse<byte[]> checkpoint = get(PREFIX + "/checkpoint", AGENT, 200);
            assertThat(checkpoint.headers().firstValue("Cache-Control")).contains("no-cache");
            C2spNote.Checkpoint cp = C2spNote.verify(text(checkpoint), key);
            assertThat(cp.size()).isEqualTo(n);

            Tree tree = readTiles(n);
            assertThat(tree.root(0, n)).as("root from tiles at size %d", n).isEqualTo(cp.root());
            assertThat(Rfc9162.mth(tree.leaves)).as("MTH of the entry bundles at size %d", n).isEqualTo(cp.root());

            for (int index : new int[] {n - 1, (n * 7) % n}) {
                JsonNode proof = JSON.readTree(text(get("/v1/provenance/" + ids.get(index) + "/proof?treeSize=" + n,
                        OPERATOR, 200)));
                List<String> hashes = new ArrayList<>();
                proof.get("hashes").forEach(h -> hashes.add(h.asText()));
                List<byte[]> fromTiles = tree.path(index, 0, n);
                assertThat(hashes).as("inclusion proof of leaf %d in size %d", index, n).isEqualTo(base64(fromTiles));
                assertThat(Rfc9162.verifyInclusion(index, n, tree.leafHashes.get(index), fromTiles, cp.root())).isTrue();
            }
        }
        // a tile once served full is the same bytes for ever
        for (Map.Entry<String, byte[]> tile : full.entrySet()) {
            assertThat(get(tile.getKey(), OPERATOR, 200).body()).as(tile.getKey()).isEqualTo(tile.getValue());
        }
        assertThat(full).containsKeys(PREFIX + "/tile/0/000", PREFIX + "/tile/0/001", PREFIX + "/tile/entries/001");
    }

    @Test
    void tilePathsAreCheckedAndEntryBundlesAreNotForAgents() {
        given().auth().oauth2(TestKeys.tokens().agent("tiles-2")).contentType(ContentType.JSON)
                .body("{\"agentId\":\"tiles-2\",\"creationType\":\"FRESH\"}").post("/v1/provenance").then().statusCode(201);
        String agent = TestKeys.tokens().agent("tiles-2");
        for (String bad : new String[] {"0/1", "0/0001", "0/x000/001", "0/001.p/0", "0/001.p/256", "0/001.p/07",
                "64/000", "01/000", "0/abc", "0/x01/002"}) {
            given().auth().oauth2(agent).get(PREFIX + "/tile/" + bad).then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", org.hamcrest.Matchers.hasItem("path"));
        }
        given().auth().oauth2(agent).get(PREFIX + "/tile/0/x999/999").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(agent).get(PREFIX + "/tile/0/000.p/1").then().statusCode(200)
                .contentType("application/octet-stream");
        // leaves carry agents' metadata: never for agents, even the first leaf
        given().auth().oauth2(agent).get(PREFIX + "/tile/entries/000.p/1").then().statusCode(403);
        given().get(PREFIX + "/tile/0/000.p/1").then().statusCode(401);
        given().auth().oauth2(operator()).get(PREFIX + "/tile/entries/000.p/1").then().statusCode(200)
                .header("Cache-Control", "private, max-age=10");
    }

    /** The hashes and leaves a tiles client reads for a tree of size {@code n}. */
    private final class Tree {
        final List<byte[]> leafHashes = new ArrayList<>();
        final List<byte[]> leaves = new ArrayList<>();
        final List<byte[]> level1 = new ArrayList<>();

        /** MTH of leaves [lo, hi): a complete aligned 256-leaf block from the level-1 tile, else recursively. */
        byte[] root(int lo, int hi) {
            if (hi - lo == 256 && lo % 256 == 0) {
                return level1.get(lo / 256);
            }
            if (hi - lo == 1) {
                return leafHashes.get(lo);
            }
            int k = split(hi - lo);
            return Rfc9162.node(root(lo, lo + k), root(lo + k, hi));
        }

        /** RFC 6962 2.1.1 PATH(m, D[lo:hi]) with hashes from tiles. */
        List<byte[]> path(int m, int lo, int hi) {
            if (hi - lo == 1) {
                return new ArrayList<>();
            }
            int k = split(hi - lo);
            List<byte[]> p;
            if (m - lo < k) {
                p = path(m, lo, lo + k);
                p.add(root(lo + k, hi));
            } else {
                p = path(m, lo + k, hi);
                p.add(root(lo, lo + k));
            }
            return p;
        }
    }

    private Tree readTiles(int n) throws Exception {
        Tree tree = new Tree();
        for (int t = 0; t * 256 < n; t++) {
            int width = Math.min(256, n - t * 256);
            byte[] hashes = tile("/tile/0/" + index(t), width);
            byte[] bundle = tile("/tile/entries/" + index(t), width);
            for (int i = 0; i < width; i++) {
                tree.leafHashes.add(Arrays.copyOfRange(hashes, i * 32, i * 32 + 32));
            }
            int at = 0;
            while (at < bundle.length) {
                int length = ((bundle[at] & 0xFF) << 8) | (bundle[at + 1] & 0xFF);
                tree.leaves.add(Arrays.copyOfRange(bundle, at + 2, at + 2 + length));
                at += 2 + length;
            }
        }
        assertThat(tree.leaves).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(tree.leafHashes.get(i)).isEqualTo(Rfc9162.leaf(tree.leaves.get(i)));
        }
        int blocks = n / 256;
        if (blocks > 0) {
            byte[] level1 = tile("/tile/1/000", blocks);
            for (int j = 0; j < blocks; j++) {
                byte[] h = Arrays.copyOfRange(level1, j * 32, j * 32 + 32);
                assertThat(h).isEqualTo(Rfc9162.mth(tree.leaves.subList(j * 256, j * 256 + 256)));
                tree.level1.add(h);
            }
        }
        return tree;
    }

    /** A tile of {@code width}: a full one is fetched once and remembered, a partial one with its .p/ suffix. */
    private byte[] tile(String path, int width) throws Exception {
        String url = PREFIX + path + (width == 256 ? "" : ".p/" + width);
        if (width == 256 && full.containsKey(url)) {
            return full.get(url);
        }
        HttpResponse<byte[]> r = get(url, OPERATOR, 200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/octet-stream");
        byte[] bytes = r.body();
        if (!path.contains("entries")) {
            assertThat(bytes).hasSize(width * 32);
        }
        boolean entries = path.contains("entries");
        assertThat(r.headers().firstValue("Cache-Control").orElseThrow()).isEqualTo(width == 256
                ? (entries ? "private" : "public") + ", max-age=31536000, immutable"
                : (entries ? "private" : "public") + ", max-age=10");
        if (width == 256) {
            full.put(url, bytes);
        }
        return bytes;
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** The JDK client (not REST Assured) for the 600-size loop: a few thousand requests stay cheap. */
    private HttpResponse<byte[]> get(String path, String token, int status) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET(), status);
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request, int status) throws Exception {
        HttpResponse<byte[]> r = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as("%s: %s", r.uri(), new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        return r;
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static String index(int n) {
        return String.format("%03d", n); // below 1000 tiles here
    }

    private static int split(int n) {
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return k;
    }

    private static List<String> base64(List<byte[]> hashes) {
        return hashes.stream().map(Base64.getEncoder()::encodeToString).toList();
    }

    private static String operator() {
        return OPERATOR;
    }

    /** Empties this test database's log so the tree grows from size 1 (other test classes only add records). */
    private void resetLog() throws Exception {
        sequencer.stop();
        try (Connection c = DriverManager.getConnection(
                TrustplaneTestResource.infrastructure().postgres().jdbcUrl(database),
                TrustplaneTestResource.infrastructure().postgres().user(),
                TrustplaneTestResource.infrastructure().postgres().password());
                Statement s = c.createStatement()) {
            s.execute("TRUNCATE pending_record, provenance_record, tree_node, checkpoint, anchored_event CASCADE");
            s.execute("UPDATE tree_head SET tree_size = 0, root_hash = decode("
                    + "'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex')");
        } finally {
            sequencer.start();
        }
    }
}
