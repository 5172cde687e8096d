import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small local load run over HTTP (not the full benchmark): p50/p99 of acquire, release and a full phase
 * transition against a running lease-service. Usage:
 * {@code java LeaseBench.java http://localhost:8081 private-key-pkcs8.pem [workers] [perWorker]}.
 */
public class LeaseBench {

    static final String[] PHASES = {"STRATEGIZE", "SPEC", "PLAN", "THINK", "IMPLEMENT", "VERIFY", "REVIEW", "PR", "MONITOR"};
    static final String[][] EVIDENCE = {{"strategy"}, {"spec"}, {"plan"}, {"analysis"}, {"diff", "build"},
            {"test-report"}, {"review"}, {"pull-request"}};
    static final Pattern TOKEN = Pattern.compile("\"fencingToken\":(\\d+)");
    static final Pattern LEASE = Pattern.compile("\"leaseId\":\"([0-9a-f-]+)\"");

    static String base;
    static HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        base = args[0];
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder()
                .decode(Files.readString(Path.of(args[1])).replaceAll("-----[A-Z ]+-----", "").trim())));
        int workers = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int perWorker = args.length > 3 ? Integer.parseInt(args[3]) : 250;
        List<Long> acquire = Collections.synchronizedList(new ArrayList<>());
        List<Long> release = Collections.synchronizedList(new ArrayList<>());
        List<Long> transition = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        for (int round = 0; round < 2; round++) { // round 0 warms up the JIT and pools, round 1 is measured
            boolean measured = round == 1;
            List<Future<?>> jobs = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                String jwt = jwt(key, "bench-agent-" + w);
                int n = measured ? perWorker : Math.max(20, perWorker / 5);
                jobs.add(pool.submit(() -> {
                    for (int i = 0; i < n; i++) {
                        String task = "bench-" + UUID.randomUUID();
                        long t0 = System.nanoTime();
                        String lease = call("POST", "/v1/leases", jwt, "{\"taskId\":\"" + task + "\",\"phase\":\"PLAN\"}", 201);
                        long t1 = System.nanoTime();
                        call("DELETE", "/v1/leases/" + find(LEASE, lease), jwt, null, 200);
                        long t2 = System.nanoTime();
                        if (measured) {
                            acquire.add(t1 - t0);
                            release.add(t2 - t1);
                        }
                        if (i % 8 == 0) { // a task through the whole work process every eighth iteration
                            call("POST", "/v1/tasks", jwt, "{\"taskId\":\"" + task + "\",\"title\":\"bench\"}", 201);
                            long token = Long.parseLong(find(TOKEN, call("POST", "/v1/leases", jwt,
                                    "{\"taskId\":\"" + task + "\",\"phase\":\"STRATEGIZE\"}", 201)));
                            for (int p = 0; p < 8; p++) {
                                StringBuilder ev = new StringBuilder();
                                for (String kind : EVIDENCE[p]) {
                                    ev.append(ev.length() == 0 ? "" : ",").append("{\"kind\":\"").append(kind)
                                            .append("\",\"uri\":\"s3://e/").append(kind).append("\",\"sha256\":\"")
                                            .append("a".repeat(64)).append("\"}");
                                }
                                long s = System.nanoTime();
                                String r = call("POST", "/v1/tasks/" + task + "/transitions", jwt, "{\"to\":\""
                                        + PHASES[p + 1] + "\",\"fencingToken\":" + token + ",\"evidence\":[" + ev + "]}", 200);
                                if (measured) {
                                    transition.add(System.nanoTime() - s);
                                }
                                token = Long.parseLong(find(TOKEN, r));
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        }
        pool.shutdown();
        System.out.printf("workers=%d%n", workers);
        report("acquire", acquire);
        report("release", release);
        report("transition", transition);
    }

    static void report(String name, List<Long> nanos) {
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        System.out.printf("%-11s n=%5d p50=%6.2f ms p99=%6.2f ms max=%6.2f ms%n", name, s.size(),
                s.get(s.size() / 2) / 1e6, s.get((int) Math.ceil(s.size() * 0.99) - 1) / 1e6, s.get(s.size() - 1) / 1e6);
    }

    static String find(Pattern p, String body) {
        Matcher m = p.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("unexpected answer: " + body);
        }
        return m.group(1);
    }

    static String call(String method, String path, String jwt, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + jwt);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    static String jwt(PrivateKey key, String sub) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = System.currentTimeMillis() / 1000;
        String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"iss\":\"trustplane\",\"sub\":\"" + sub + "\",\"upn\":\"" + sub
                + "\",\"groups\":[\"agent\"],\"iat\":" + now + ",\"exp\":" + (now + 7200) + "}").getBytes(StandardCharsets.UTF_8));
        Signature sig = Signature.getInstance("SHA256withRSA");
        sig.initSign(key);
        sig.update((header + "." + claims).getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + "." + b64.encodeToString(sig.sign());
    }
}
