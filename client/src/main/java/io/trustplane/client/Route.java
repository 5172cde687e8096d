package io.trustplane.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One operation the client calls: service, method, path template, the request body members it may send and the
 * type it reads the answer into. {@link Routes#ALL} lists them so that a test can hold them to the services'
 * OpenAPI documents.
 */
public record Route(Service service, String method, String path, List<String> requestFields, Class<?> response) {

    /** The path with each {@code {name}} replaced, in order, by the URL-encoded argument. */
    String expand(Object... args) {
        StringBuilder out = new StringBuilder();
        int arg = 0;
        int i = 0;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '{') {
                int end = path.indexOf('}', i);
                if (arg >= args.length) {
                    throw new IllegalArgumentException(path + " needs more arguments than " + args.length);
                }
                Object value = args[arg++];
                if (value == null || value.toString().isEmpty()) {
                    throw new IllegalArgumentException(path.substring(i + 1, end) + " must not be empty");
                }
                out.append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8).replace("+", "%20"));
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Whether the call creates or changes something: it carries an {@code Idempotency-Key}. */
    boolean creating() {
        return method.equals("POST");
    }
}
