package io.trustplane.conformance;

import io.trustplane.conformance.OpenApi.Operation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every operation of every service (as its OpenAPI says), fed generated bad input with a valid token of a role the
 * operation allows: no answer may be a 5xx, every 4xx is problem+json (the HTTP codec's own refusals excepted), no
 * body shows a stack trace or a class name, nothing but a read succeeds, and the four databases are byte-for-byte
 * what they were before.
 */
@ExtendWith(Conformance.Extension.class)
@Order(1)
class FuzzTest {

    /** Per route: how many requests, and what went wrong. */
    record RouteResult(String service, String route, int requests, List<String> failures) {
    }

    @Test
    void badInputIsRefusedCleanlyOnEveryRouteAndStoresNothing(Conformance suite) throws IOException {
        Map<String, DbSnapshot> before = quiescentSnapshots(suite);

        List<RouteResult> results = new ArrayList<>();
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        for (Conformance.Service service : suite.services()) {
            int n = 0;
            for (Operation op : service.operations()) {
                String token = token(suite, service, op, n++);
                List<String> failures = new ArrayList<>();
                List<Fuzzer.Case> cases = new Fuzzer(op, service.api(), "Bearer " + token).cases();
                for (Fuzzer.Case c : cases) {
                    RawHttp.Response r;
                    try {
                        r = service.http().send(c.request(), op.eventStream());
                    } catch (RuntimeException e) {
                        failures.add(c.family() + " " + c.name() + ": " + e.getMessage());
                        continue;
                    }
                    statuses.merge(r.status(), 1, Integer::sum);
                    List<String> problems = new ArrayList<>(Checks.violations(r, c.codecLevel()));
                    if (!op.reads() && r.status() < 300) {
                        problems.add("accepted (" + r.status() + "): " + RawHttp.abbreviate(r.text()));
                    }
                    if (c.expectField() != null && (!c.expectStatuses().contains(r.status())
                            || !r.text().contains("\"field\":\"" + c.expectField() + "\""))) {
                        problems.add("expected " + c.expectStatuses() + " naming '" + c.expectField() + "'");
                    }
                    if (r.status() == 429) {
                        problems.add("rate limited: the input was not tested");
                    }
                    if (!problems.isEmpty()) {
                        failures.add(c.family() + " " + c.name() + " -> " + r.status() + ": " + problems
                                + " body: " + RawHttp.abbreviate(r.text()));
                    }
                }
                results.add(new RouteResult(service.name(), op.key(), cases.size(), failures));
            }
        }

        Map<String, DbSnapshot> after = snapshots(suite);
        List<String> changed = new ArrayList<>();
        before.forEach((db, snap) -> changed.addAll(snap.differences(after.get(db))));

        report(results, statuses, changed);
        List<String> failures = results.stream()
                .flatMap(r -> r.failures().stream().map(f -> r.service() + " " + r.route() + " | " + f)).toList();
        assertThat(failures).as("fuzzed requests that broke the contract").isEmpty();
        assertThat(changed).as("stored data changed by refused requests").isEmpty();
        assertThat(results).as("every service documents operations").hasSizeGreaterThan(40);
    }

    /** Admin where allowed (the broadest code paths), else service, operator, agent; one subject per route. */
    private static String token(Conformance suite, Conformance.Service service, Operation op, int index) {
        String subject = "fuzz-" + service.spec().shortName() + "-" + index;
        for (String role : List.of("admin", "service", "operator", "agent")) {
            if (op.roles().contains(role)) {
                return suite.minter().mint(subject, role);
            }
        }
        return suite.minter().mint(subject, "admin", "operator", "service", "agent");
    }

    static Map<String, DbSnapshot> snapshots(Conformance suite) {
        Map<String, DbSnapshot> out = new LinkedHashMap<>();
        for (Conformance.Service s : suite.services()) {
            out.put(s.spec().database(), DbSnapshot.of(suite.postgres(), s.spec().database()));
        }
        return out;
    }

    /** Waits until start-up work (migrations, consumers, first polls) has stopped writing. */
    static Map<String, DbSnapshot> quiescentSnapshots(Conformance suite) {
        AtomicReference<Map<String, DbSnapshot>> last = new AtomicReference<>(snapshots(suite));
        await().atMost(Duration.ofSeconds(90)).pollDelay(Duration.ofSeconds(3)).pollInterval(Duration.ofSeconds(3))
                .until(() -> {
                    Map<String, DbSnapshot> now = snapshots(suite);
                    return now.equals(last.getAndSet(now));
                });
        return last.get();
    }

    private static void report(List<RouteResult> results, Map<Integer, Integer> statuses, List<String> changed)
            throws IOException {
        StringBuilder md = new StringBuilder("# Fuzz report\n\nSeed ").append(Fuzzer.SEED)
                .append(". Requests per route (path, query, body, field and header abuse), and what broke the contract.\n\n")
                .append("| service | route | requests | failures |\n|---|---|---:|---:|\n");
        int total = 0;
        int failed = 0;
        for (RouteResult r : results) {
            md.append("| ").append(r.service()).append(" | `").append(r.route()).append("` | ").append(r.requests())
                    .append(" | ").append(r.failures().size()).append(" |\n");
            total += r.requests();
            failed += r.failures().size();
        }
        md.append("\n**").append(total).append(" requests over ").append(results.size()).append(" routes; ")
                .append(failed).append(" broke the contract; ").append(changed.size())
                .append(" tables changed by refused requests.**\n\nAnswers by status: ").append(statuses)
                .append(" (414 and 431 come from the HTTP codec, before any Trustplane code, with an empty body).\n");
        for (RouteResult r : results) {
            for (String f : r.failures()) {
                md.append("\n- ").append(r.service()).append(" `").append(r.route()).append("` ").append(f);
            }
        }
        changed.forEach(c -> md.append("\n- changed: ").append(c));
        Path out = Path.of("target", "fuzz-report.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        System.out.println(md);
    }
}
