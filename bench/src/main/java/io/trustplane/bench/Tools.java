package io.trustplane.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the load tools (wrk, redis-benchmark, pgbench) and turns their output into {@link Measurement}s. */
final class Tools {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path work;

    Tools(Path work) throws IOException {
        this.work = Files.createDirectories(work);
        for (String lua : List.of("common", "post_per_agent", "get_paths", "send_paths", "lease_pairs", "etcd_pairs", "transition")) {
            try (InputStream in = Tools.class.getResourceAsStream("/lua/" + lua + ".lua")) {
                Files.write(work.resolve(lua + ".lua"), in.readAllBytes());
            }
        }
    }

    /** A wrk script = common.lua (results, helpers) + the scenario's own script. */
    Path script(String name) throws IOException {
        Path combined = work.resolve("run-" + name + ".lua");
        Files.writeString(combined, Files.readString(work.resolve("common.lua")) + "\n"
                + Files.readString(work.resolve(name + ".lua")));
        return combined;
    }

    Measurement wrk(String scenario, String url, int threads, int connections, Duration duration, String script,
            List<String> headers, List<String> scriptArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections,
                "-d" + duration.toSeconds() + "s", "--timeout", "10s", "-s", script(script).toString()));
        for (String h : headers) {
            cmd.add("-H");
            cmd.add(h);
        }
        cmd.add(url);
        if (!scriptArgs.isEmpty()) {
            cmd.add("--");
            cmd.addAll(scriptArgs);
        }
        String out = run(cmd, duration.plusSeconds(60));
        Matcher m = Pattern.compile("RESULT (\\{.*})").matcher(out);
        if (!m.find()) {
            throw new IOException("wrk printed no result for " + scenario + ":\n" + out);
        }
        JsonNode r = JSON.readTree(m.group(1));
        double seconds = r.get("duration_us").asLong() / 1e6;
        long requests = r.get("requests").asLong();
        long ops = r.get("operations").asLong();
        long errors = r.get("errors_status").asLong() + r.get("errors_connect").asLong()
                + r.get("errors_read").asLong() + r.get("errors_write").asLong() + r.get("errors_timeout").asLong();
        long counted = ops > 0 ? ops : requests - errors;
        return new Measurement(scenario, "wrk", connections, seconds, requests, counted, counted / seconds,
                r.get("p50_us").asLong() / 1000.0, r.get("p95_us").asLong() / 1000.0,
                r.get("p99_us").asLong() / 1000.0, r.get("max_us").asLong() / 1000.0, errors,
                Map.of("url", url.replaceAll("\\?.*", ""), "curve", curve(r.get("curve"))));
    }

    /** wrk's latency at fixed percentiles: [[percentile, ms], ...] for the plots. */
    private static List<List<Double>> curve(JsonNode points) {
        List<List<Double>> out = new ArrayList<>();
        if (points != null) {
            points.forEach(p -> out.add(List.of(p.get(0).asDouble(), p.get(1).asLong() / 1000.0)));
        }
        return out;
    }

    /** redis-benchmark of one command line, e.g. the EVALSHA a ceiling check makes. */
    Measurement redisBenchmark(String scenario, int port, int connections, int requests, List<String> command)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-benchmark", "-h", "127.0.0.1", "-p",
                Integer.toString(port), "-c", Integer.toString(connections), "-n", Integer.toString(requests),
                "--csv"));
        cmd.addAll(command);
        String out = run(cmd, Duration.ofMinutes(5));
        // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
        for (String line : out.split("\n")) {
            String[] f = line.replace("\"", "").split(",");
            if (f.length >= 8 && !f[0].equals("test")) {
                double rps = Double.parseDouble(f[1]);
                return new Measurement(scenario, "redis-benchmark", connections, requests / rps, requests, requests,
                        rps, Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]),
                        Double.parseDouble(f[7]), 0, Map.of("command", String.join(" ", command.subList(0, 1))));
            }
        }
        throw new IOException("redis-benchmark printed no result:\n" + out);
    }

    /** pgbench running one SQL script with the given clients; pgbench reports tps and mean latency. */
    Measurement pgbench(String scenario, String host, int port, String user, String database, int clients,
            Duration duration, String sql) throws IOException, InterruptedException {
        Path script = work.resolve(scenario + ".sql");
        Files.writeString(script, sql + "\n");
        Path logPrefix = work.resolve("pgbench-" + scenario);
        List<String> cmd = List.of("pgbench", "-n", "-h", host, "-p", Integer.toString(port), "-U", user,
                "-c", Integer.toString(clients), "-j", "2", "-T", Long.toString(duration.toSeconds()),
                "-f", script.toString(), "-l", "--log-prefix=" + logPrefix, database);
        String out = run(cmd, duration.plusSeconds(60));
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(out);
        Matcher tx = Pattern.compile("number of transactions actually processed: (\\d+)").matcher(out);
        Matcher failed = Pattern.compile("number of failed transactions: (\\d+)").matcher(out);
        if (!tps.find() || !tx.find()) {
            throw new IOException("pgbench printed no result:\n" + out);
        }
        List<Double> latencies = pgbenchLatencies(logPrefix);
        long n = Long.parseLong(tx.group(1));
        return new Measurement(scenario, "pgbench", clients, duration.toSeconds(), n, n,
                Double.parseDouble(tps.group(1)), percentile(latencies, 50), percentile(latencies, 95),
                percentile(latencies, 99), latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1),
                failed.find() ? Long.parseLong(failed.group(1)) : 0, Map.of("sql", sql));
    }

    /** pgbench's per-transaction logs: the third field is the latency in microseconds. */
    private List<Double> pgbenchLatencies(Path prefix) throws IOException {
        List<Double> all = new ArrayList<>();
        try (var files = Files.list(prefix.getParent())) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(prefix.getFileName() + ".")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    String[] parts = line.split(" ");
                    if (parts.length > 2) {
                        all.add(Long.parseLong(parts[2]) / 1000.0);
                    }
                }
                Files.delete(f);
            }
        }
        all.sort(Double::compare);
        return all;
    }

    static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
    }

    static String run(List<String> cmd, Duration timeout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd.get(0) + " timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd.subList(0, Math.min(3, cmd.size()))) + " failed ("
                    + p.exitValue() + "):\n" + text);
        }
        return text;
    }
}
