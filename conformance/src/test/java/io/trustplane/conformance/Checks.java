package io.trustplane.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** What every answer must satisfy, whatever was sent. */
final class Checks {

    /**
     * Refusals produced by the HTTP codec before any Trustplane code runs (malformed request line, request line
     * over 4 KiB, headers over 20 KiB): Vert.x answers these with an empty body and closes the connection. They are
     * the documented exceptions to "every 4xx is problem+json" (docs/security.md).
     */
    static final Set<Integer> CODEC_STATUSES = Set.of(400, 414, 431);

    private static final List<Pattern> LEAKS = List.of(
            Pattern.compile("\\bat [a-zA-Z_$][\\w$]*(\\.[\\w$<>]+)+\\("),
            Pattern.compile("\\b(java|javax|jakarta|sun|jdk|io\\.quarkus|io\\.vertx|io\\.netty|io\\.smallrye|org\\.jboss"
                    + "|org\\.hibernate|com\\.fasterxml|org\\.postgresql|io\\.trustplane|org\\.eclipse)\\.[a-z][\\w$]*\\.[\\w.$]+"),
            Pattern.compile("\\w+(Exception|Error)\\b"),
            Pattern.compile("\\.java:\\d+"),
            Pattern.compile("Caused by"));

    private Checks() {
    }

    /** Why {@code r} breaks the contract; empty when it does not. {@code codecLevel}: a malformed-HTTP case. */
    static List<String> violations(RawHttp.Response r, boolean codecLevel) {
        List<String> out = new ArrayList<>();
        if (r.status() >= 500) {
            out.add("status " + r.status());
        }
        if (r.status() >= 400 && r.status() < 500 && !r.contentType().startsWith("application/problem+json")) {
            boolean codec = CODEC_STATUSES.contains(r.status()) && r.body().length == 0
                    && (r.status() != 400 || codecLevel);
            if (!codec) {
                out.add(r.status() + " is not problem+json (Content-Type '" + r.contentType() + "')");
            }
        }
        String text = r.text();
        for (Pattern leak : LEAKS) {
            var m = leak.matcher(text);
            if (m.find()) {
                out.add("body leaks '" + m.group() + "'");
            }
        }
        if (r.status() >= 400 && r.status() < 500 && r.contentType().startsWith("application/problem+json")
                && !text.contains("\"status\":" + r.status())) {
            out.add("problem document without its status");
        }
        return out;
    }
}
