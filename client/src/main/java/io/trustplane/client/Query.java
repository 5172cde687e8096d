package io.trustplane.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/** Query strings for the routes that take parameters. */
final class Query {

    private Query() {
    }

    static String encode(Object value) {
        return URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code ?a=1&b=2} of the non-null entries, or "" when there are none. */
    static String of(Map<String, ?> params) {
        StringJoiner j = new StringJoiner("&", "?", "");
        j.setEmptyValue("");
        params.forEach((k, v) -> {
            if (v != null) {
                j.add(k + "=" + encode(v));
            }
        });
        return j.toString();
    }
}
