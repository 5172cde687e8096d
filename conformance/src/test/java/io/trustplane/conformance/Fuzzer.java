package io.trustplane.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trustplane.conformance.OpenApi.Operation;
import io.trustplane.conformance.OpenApi.Param;
import io.trustplane.conformance.RawHttp.Header;
import io.trustplane.conformance.RawHttp.Request;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Generates the bad requests for one operation from its OpenAPI description, deterministically (fixed seed): broken
 * and boundary JSON, every field with a wrong type, null, missing, too long, out of range, an unknown enum value or a
 * pattern violation, bodies near and over the 1 MiB limit, 10 000 levels of nesting, invalid UTF-8, abusive path ids,
 * query parameters and headers. Path ids name nothing that exists, so a request that slipped through validation
 * still could not change anything by accident; what the request must not do is decided by the caller of this class.
 */
final class Fuzzer {

    static final long SEED = 20_261_123L;
    static final int BODY_LIMIT = 1024 * 1024;

    /**
     * One generated request. {@code codecLevel}: malformed at the HTTP level (the codec may refuse it). When
     * {@code expectField} is set, the answer must be one of {@code expectStatuses} naming that field.
     */
    record Case(String family, String name, Request request, boolean codecLevel, String expectField,
            Set<Integer> expectStatuses) {
        Case(String family, String name, Request request, boolean codecLevel) {
            this(family, name, request, codecLevel, null, Set.of());
        }
    }

    /** Not a number of the parameter's integer type: each must be a 400 naming the parameter. */
    private static final List<String> NOT_AN_INTEGER = List.of("abc", "2%5E63", "9223372036854775808",
            "-9223372036854775809", "1.5", "0x10", "%201");
    /** Webhook URLs naming loopback, private, shared or benchmarking space in IPv6 and IPv4 spellings. */
    static final List<String> INTERNAL_URLS = List.of("http://[::1]/h", "http://[::127.0.0.1]/h",
            "http://[::ffff:127.0.0.1]/h", "http://[0:0:0:0:0:ffff:7f00:1]/h", "http://[64:ff9b::7f00:1]/h",
            "http://[64:ff9b::a9fe:a9fe]/h", "http://[::ffff:a9fe:a9fe]/h", "http://[2002:7f00:1::1]/h",
            "http://[fd00::1]/h", "http://[fe80::1]/h", "http://[fe80::1%25eth0]/h", "http://[::]/h",
            "http://[ff02::1]/h", "http://100.64.0.1/h", "http://198.18.0.1/h", "http://192.0.0.170/h",
            "https://[::ffff:10.0.0.1]:8443/h", "http://[64:ff9b:1::a00:1]/h");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Path values: traversal, encodings, NUL, invalid UTF-8, very long, unicode, injection-looking. */
    private static final List<String> PATH_VALUES = List.of(
            "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%2e%2e", "%00", "a%00b",
            "%ff%fe%fd", "%C0%AE%C0%AE", "%F0%9F%98%80", "%E2%80%AE", "%20", "%27%20OR%201%3D1--", "%3Cscript%3E",
            "%25", "%2F", "x".repeat(200), "y".repeat(3500));
    /** Sent raw: not valid in a request line at all. */
    private static final List<String> RAW_PATH_VALUES = List.of("%", "%zz", "a b", "\u0001", "z".repeat(5000));
    private static final List<String> QUERY_VALUES = List.of("abc", "-1", "0", "99999999999999999999999", "1e309",
            "", "%00", "..%2F..%2Fetc", "%F0%9F%98%80", "%ff", "q".repeat(3000), "NaN", "true", "%5B%5D");

    private final Operation op;
    private final OpenApi api;
    private final String authorization;
    private final Random random;
    private final Map<String, String> placeholders = new LinkedHashMap<>();

    Fuzzer(Operation op, OpenApi api, String authorization) {
        this.op = op;
        this.api = api;
        this.authorization = authorization;
        this.random = new Random(SEED ^ op.key().hashCode());
        for (Param p : op.pathParams()) {
            placeholders.put(p.name(), placeholder(p));
        }
    }

    List<Case> cases() {
        List<Case> out = new ArrayList<>();
        pathCases(out::add);
        queryCases(out::add);
        if (op.hasBody()) {
            bodyCases(out::add);
        }
        headerCases(out::add);
        return out;
    }

    // ---------------------------------------------------------------- path

    private void pathCases(Consumer<Case> out) {
        for (Param p : op.pathParams()) {
            for (String v : PATH_VALUES) {
                out.accept(new Case("path", p.name() + "=" + RawHttp.abbreviate(v), request(path(p.name(), v), "",
                        jsonHeaders(), baseBodyBytes()), false));
            }
            for (String v : RAW_PATH_VALUES) {
                out.accept(new Case("path", p.name() + "=raw " + RawHttp.abbreviate(v.replace("\u0001", "\\u0001")),
                        request(path(p.name(), v), "", jsonHeaders(), baseBodyBytes()), true));
            }
        }
    }

    // ---------------------------------------------------------------- query

    private void queryCases(Consumer<Case> out) {
        byte[] body = op.reads() ? null : invalidBody();
        for (Param p : op.queryParams()) {
            for (String v : QUERY_VALUES) {
                out.accept(new Case("query", p.name() + "=" + RawHttp.abbreviate(v), request(path(), "?" + p.name() + "=" + v,
                        jsonHeaders(), body), false));
            }
            out.accept(new Case("query", p.name() + " twice", request(path(), "?" + p.name() + "=1&" + p.name() + "=2",
                    jsonHeaders(), body), false));
            out.accept(new Case("query", p.name() + "[]", request(path(), "?" + p.name() + "%5B%5D=1",
                    jsonHeaders(), body), false));
        }
        if (op.reads()) {
            for (Param p : op.queryParams()) {
                if (p.schema() != null && api.resolve(p.schema()) != null
                        && "integer".equals(api.resolve(p.schema()).path("type").asText())) {
                    for (String v : NOT_AN_INTEGER) {
                        out.accept(new Case("query", p.name() + "=" + v + " (not an integer)", request(path(),
                                "?" + p.name() + "=" + v, jsonHeaders(), null), false, p.name(), Set.of(400)));
                    }
                }
            }
        }
        out.accept(new Case("query", "unknown parameters", request(path(), "?__proto__=x&constructor=y&"
                + "x".repeat(100) + "=" + "z".repeat(100), jsonHeaders(), body), false));
        out.accept(new Case("query", "bare ?&=&", request(path(), "?&=&&==", jsonHeaders(), body), false));
    }

    // ---------------------------------------------------------------- body

    private void bodyCases(Consumer<Case> out) {
        JsonNode schema = op.bodySchema();
        boolean hasRequired = schema != null && schema.path("required").size() > 0;
        raw(out, "empty body", new byte[0]);
        raw(out, "truncated JSON", "{\"a\":".getBytes(StandardCharsets.UTF_8));
        raw(out, "bare word", "nul".getBytes(StandardCharsets.UTF_8));
        raw(out, "null", "null".getBytes(StandardCharsets.UTF_8));
        raw(out, "empty array", "[]".getBytes(StandardCharsets.UTF_8));
        raw(out, "string", "\"text\"".getBytes(StandardCharsets.UTF_8));
        raw(out, "huge number", "123456789012345678901234567890123456789".getBytes(StandardCharsets.UTF_8));
        raw(out, "1e999999", "1e999999".getBytes(StandardCharsets.UTF_8));
        raw(out, "true", "true".getBytes(StandardCharsets.UTF_8));
        raw(out, "NaN", "{\"a\":NaN}".getBytes(StandardCharsets.UTF_8));
        raw(out, "comments", "/* x */ {\"a\":1} // y".getBytes(StandardCharsets.UTF_8));
        raw(out, "trailing garbage", (baseBody().toString() + "}}]]garbage").getBytes(StandardCharsets.UTF_8));
        if (hasRequired) {
            raw(out, "empty object", "{}".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 5; i++) {
                raw(out, "random object " + i, randomJson(4).toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        raw(out, "invalid UTF-8", invalidUtf8());
        raw(out, "10000 nested arrays", ("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.UTF_8));
        raw(out, "10000 nested objects", ("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000))
                .getBytes(StandardCharsets.UTF_8));
        raw(out, "array of 200000 numbers", ("[" + "0,".repeat(199_999) + "0]").getBytes(StandardCharsets.UTF_8));
        raw(out, "near the body limit", ("[\"" + "a".repeat(BODY_LIMIT - 200) + "\"]").getBytes(StandardCharsets.UTF_8));
        List<Header> expect = new ArrayList<>(jsonHeaders());
        expect.add(new Header("Expect", "100-continue"));
        out.accept(new Case("body", "over the body limit", request(path(), "", expect,
                ("[\"" + "a".repeat(BODY_LIMIT) + "\"]").getBytes(StandardCharsets.UTF_8)), false));
        if (schema != null && schema.has("properties")) {
            fieldCases(out, schema, "", baseBody());
            duplicateKeyCases(out, schema);
            if (schema.path("properties").has("url")) {
                urlCases(out, schema);
            }
        }
    }

    /** A key named twice, at the top and inside a nested object: 400 naming the key (its path). */
    private void duplicateKeyCases(Consumer<Case> out, JsonNode schema) {
        if (!op.bodyTypes().contains("application/json")) {
            return;
        }
        ObjectNode base = (ObjectNode) baseBody();
        if (base.isEmpty()) {
            return;
        }
        String first = base.fieldNames().next();
        String text = base.toString();
        String twice = text.substring(0, text.length() - 1) + ",\"" + first + "\":" + base.get(first) + "}";
        out.accept(new Case("body", "duplicate key " + first, request(path(), "", jsonHeaders(),
                twice.getBytes(StandardCharsets.UTF_8)), false, first, Set.of(400)));
        out.accept(new Case("body", "duplicate key " + first + " (same value, first)", request(path(), "",
                jsonHeaders(), ("{\"" + first + "\":" + base.get(first) + "," + text.substring(1))
                        .getBytes(StandardCharsets.UTF_8)), false, first, Set.of(400)));
        for (Iterator<Map.Entry<String, JsonNode>> it = base.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue() instanceof ObjectNode) { // a nested object (e.g. context, metadata): name the path
                ObjectNode body = base.deepCopy();
                body.putObject(e.getKey());
                String nested = body.toString().replace("\"" + e.getKey() + "\":{}", "\"" + e.getKey()
                        + "\":{\"k\":1,\"k\":2}");
                out.accept(new Case("body", "duplicate key " + e.getKey() + ".k", request(path(), "", jsonHeaders(),
                        nested.getBytes(StandardCharsets.UTF_8)), false, e.getKey() + ".k", Set.of(400)));
                break;
            }
        }
    }

    /** Internal addresses in every spelling as the {@code url} of an otherwise plausible body: refused, naming url. */
    private void urlCases(Consumer<Case> out, JsonNode schema) {
        for (String url : INTERNAL_URLS) {
            ObjectNode body = ((ObjectNode) baseBody()).deepCopy();
            body.put("url", url);
            if (schema.path("properties").has("secret")) {
                body.put("secret", "fuzz-secret-0123456789");
            }
            out.accept(new Case("field", "url: " + url, request(path(), "", jsonHeaders(),
                    body.toString().getBytes(StandardCharsets.UTF_8)), false, "url", Set.of(400, 422)));
        }
    }

    private void raw(Consumer<Case> out, String name, byte[] body) {
        out.accept(new Case("body", name, request(path(), "", jsonHeaders(), body), false));
    }

    /** Mutations of each property of {@code schema}, found at {@code prefix} in {@code base}. */
    private void fieldCases(Consumer<Case> out, JsonNode schema, String prefix, JsonNode base) {
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            String name = property.getKey();
            String field = prefix + name;
            JsonNode ps = api.resolve(property.getValue());
            String type = type(ps);
            for (JsonNode wrong : wrongTypes(type)) {
                mutate(out, field, "wrong type " + wrong, base, field, wrong);
            }
            if (required.contains(name)) {
                mutate(out, field, "null", base, field, NODES.nullNode());
                mutate(out, field, "missing", base, field, null);
            }
            switch (type) {
                case "string" -> stringCases(out, field, ps, base);
                case "integer", "number" -> numberCases(out, field, ps, type, base);
                case "array" -> arrayCases(out, field, ps, base, prefix.isEmpty());
                case "object" -> {
                    if (ps.has("properties") && prefix.isEmpty()) {
                        fieldCases(out, ps, field + ".", base);
                    } else if (!ps.has("properties")) {
                        mutate(out, field, "NUL character in a value", base, field,
                                NODES.objectNode().put("k", "a\u0000b"));
                        mutate(out, field, "NUL character in a key", base, field,
                                NODES.objectNode().put("k\u0000", "v"));
                    }
                }
                default -> {
                }
            }
        }
    }

    private void stringCases(Consumer<Case> out, String field, JsonNode ps, JsonNode base) {
        if (ps.has("enum")) {
            mutate(out, field, "unknown enum value", base, field, NODES.textNode("NOT_A_VALUE"));
            mutate(out, field, "empty enum value", base, field, NODES.textNode(""));
            return;
        }
        if (ps.has("format") && !ps.get("format").asText().isEmpty()) {
            mutate(out, field, "bad " + ps.get("format").asText(), base, field, NODES.textNode("not-a-" + ps.get("format").asText()));
        }
        if (ps.has("maxLength")) {
            mutate(out, field, "maxLength + 1", base, field, NODES.textNode("a".repeat(ps.get("maxLength").asInt() + 1)));
        }
        mutate(out, field, "100 KB string", base, field, NODES.textNode("b".repeat(100_000)));
        mutate(out, field, "NUL character", base, field, NODES.textNode("a\u0000b"));
        if (ps.has("pattern")) {
            String pattern = ps.get("pattern").asText();
            int n = 0;
            for (String v : List.of("", "   ", "../../etc/passwd", "a\u0000b", "\uD83D\uDE00", "\u202E", "x".repeat(300),
                    "<script>", "' OR 1=1 --")) {
                if (violates(pattern, v) && n++ < 4) {
                    mutate(out, field, "pattern " + pattern + " broken by '" + RawHttp.abbreviate(v.replace("\u0000", "\\0")) + "'",
                            base, field, NODES.textNode(v));
                }
            }
        }
    }

    private void numberCases(Consumer<Case> out, String field, JsonNode ps, String type, JsonNode base) {
        if (ps.has("minimum")) {
            mutate(out, field, "minimum - 1", base, field, NODES.numberNode(ps.get("minimum").decimalValue().subtract(java.math.BigDecimal.ONE)));
        }
        if (ps.has("maximum")) {
            mutate(out, field, "maximum + 1", base, field, NODES.numberNode(ps.get("maximum").decimalValue().add(java.math.BigDecimal.ONE)));
        }
        if (type.equals("integer")) { // out of any integer's range; a double may legitimately be that large
            mutate(out, field, "1e40", base, field, NODES.numberNode(new java.math.BigDecimal("1e40")));
            mutate(out, field, "-1e40", base, field, NODES.numberNode(new java.math.BigDecimal("-1e40")));
            mutate(out, field, "fraction", base, field, NODES.numberNode(1.5));
        }
    }

    private void arrayCases(Consumer<Case> out, String field, JsonNode ps, JsonNode base, boolean top) {
        ArrayNode nulls = NODES.arrayNode();
        for (int i = 0; i < 10_000; i++) {
            nulls.addNull();
        }
        mutate(out, field, "10000 nulls", base, field, nulls);
        JsonNode items = api.resolve(ps.path("items"));
        if (ps.has("maxItems")) {
            ArrayNode over = NODES.arrayNode();
            for (int i = 0; i <= ps.get("maxItems").asInt(); i++) {
                over.add(base(items, 1));
            }
            mutate(out, field, "maxItems + 1", base, field, over);
        }
        for (JsonNode wrong : wrongTypes(type(items))) {
            mutate(out, field + "[0]", "wrong type " + wrong, base, field, NODES.arrayNode().add(wrong));
        }
        if (top && items != null && items.has("properties")) {
            fieldCases(out, items, field + "[0].", base); // the fields of the first element
        }
    }

    private void mutate(Consumer<Case> out, String label, String what, JsonNode base, String field, JsonNode value) {
        ObjectNode body = base.deepCopy();
        String[] parts = field.split("\\.");
        ObjectNode target = body;
        for (int i = 0; i < parts.length - 1; i++) {
            String part = parts[i];
            if (part.endsWith("[0]")) { // the first element of an array of objects
                String name = part.substring(0, part.length() - 3);
                ArrayNode array = target.get(name) instanceof ArrayNode a ? a : target.putArray(name);
                if (array.isEmpty() || !(array.get(0) instanceof ObjectNode)) {
                    array.removeAll().addObject();
                }
                target = (ObjectNode) array.get(0);
                continue;
            }
            JsonNode next = target.get(part);
            ObjectNode obj = next instanceof ObjectNode o ? o : NODES.objectNode();
            target.set(part, obj);
            target = obj;
        }
        String leaf = parts[parts.length - 1];
        if (value == null) {
            target.remove(leaf);
        } else {
            target.set(leaf, value);
        }
        out.accept(new Case("field", label + ": " + what, request(path(), "", jsonHeaders(),
                body.toString().getBytes(StandardCharsets.UTF_8)), false));
    }

    // ---------------------------------------------------------------- headers

    private void headerCases(Consumer<Case> out) {
        byte[] body = op.hasBody() ? invalidBody() : null;
        String path = path();
        if (op.hasBody()) {
            out.accept(header("no Content-Type", List.of(auth()), body));
            out.accept(header("Content-Type text/plain", List.of(auth(), ct("text/plain")), body));
            out.accept(header("Content-Type application/xml", List.of(auth(), ct("application/xml")),
                    "<a><b>1</b></a>".getBytes(StandardCharsets.UTF_8)));
            out.accept(header("Content-Type garbage", List.of(auth(), ct(";;;/=")), body));
            out.accept(header("Content-Type with unknown charset", List.of(auth(), ct("application/json; charset=x-unknown-7")), body));
            out.accept(header("Content-Type with charset=utf-16", List.of(auth(), ct("application/json; charset=UTF-16")), body));
            out.accept(header("two Content-Types", List.of(auth(), ct("application/json"), ct("text/plain")), body));
            out.accept(header("multipart", List.of(auth(), ct("multipart/form-data; boundary=x")),
                    "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--x--\r\n".getBytes(StandardCharsets.UTF_8)));
        }
        out.accept(header("Accept garbage", List.of(auth(), ct("application/json"), new Header("Accept", "garbage/*;q=x")), body));
        out.accept(header("Accept text/html only", List.of(auth(), ct("application/json"), new Header("Accept", "text/html")), body));
        out.accept(header("16 KB header", List.of(auth(), ct("application/json"), new Header("X-Fuzz", "h".repeat(16_000))), body));
        out.accept(new Case("header", "64 KB header", request(path, "", List.of(auth(), ct("application/json"),
                new Header("X-Fuzz", "h".repeat(64_000))), body), true));
        out.accept(header("two Authorization headers, valid first", List.of(auth(), new Header("Authorization", "Bearer garbage"),
                ct("application/json")), body));
        out.accept(header("two Authorization headers, garbage first", List.of(new Header("Authorization", "Bearer garbage"), auth(),
                ct("application/json")), body));
        out.accept(header("Authorization 'Bearer '", List.of(new Header("Authorization", "Bearer "), ct("application/json")), body));
        out.accept(header("Authorization Basic", List.of(new Header("Authorization", "Basic YWRtaW46YWRtaW4="),
                ct("application/json")), body));
        out.accept(header("token with a tampered signature", List.of(new Header("Authorization", authorization + "x"),
                ct("application/json")), body));
        out.accept(header("token of 8 KB junk", List.of(new Header("Authorization", "Bearer " + "j".repeat(8000)),
                ct("application/json")), body));
        out.accept(header("no Authorization", List.of(ct("application/json")), body));
        out.accept(header("X-Forwarded-For spoofed", List.of(auth(), ct("application/json"),
                new Header("X-Forwarded-For", "10.0.0.1, 127.0.0.1")), body));
        if (!op.reads()) {
            out.accept(header("Idempotency-Key too long", List.of(auth(), ct("application/json"),
                    new Header("Idempotency-Key", "k".repeat(300))), body));
            out.accept(header("Idempotency-Key with spaces", List.of(auth(), ct("application/json"),
                    new Header("Idempotency-Key", "a key with spaces")), body));
            out.accept(header("Idempotency-Key on a refused request", List.of(auth(), ct("application/json"),
                    new Header("Idempotency-Key", "fuzz-" + UUID.nameUUIDFromBytes(op.key().getBytes(StandardCharsets.UTF_8)))),
                    body));
        }
    }

    private Case header(String name, List<Header> headers, byte[] body) {
        return new Case("header", name, request(path(), "", headers, body), false);
    }

    private Header auth() {
        return new Header("Authorization", authorization);
    }

    private static Header ct(String type) {
        return new Header("Content-Type", type);
    }

    private List<Header> jsonHeaders() {
        String type = op.bodyTypes().contains("application/json") || op.bodyTypes().isEmpty() ? "application/json"
                : op.bodyTypes().get(0);
        return List.of(auth(), ct(type));
    }

    // ---------------------------------------------------------------- building blocks

    private Request request(String path, String query, List<Header> headers, byte[] body) {
        return new Request(op.method(), path + query, headers, body, true);
    }

    /** The path with every parameter at its placeholder. */
    private String path() {
        return path(null, null);
    }

    private String path(String param, String value) {
        String p = op.path();
        for (Map.Entry<String, String> e : placeholders.entrySet()) {
            p = p.replace("{" + e.getKey() + "}", e.getKey().equals(param) ? value : e.getValue());
        }
        return p;
    }

    /** A well-formed id that names nothing: matches the parameter's pattern, or a UUID. */
    private String placeholder(Param p) {
        String pattern = p.schema() == null ? null : p.schema().path("pattern").asText(null);
        String uuid = new UUID(random.nextLong(), random.nextLong()).toString();
        if (pattern == null) {
            return p.name().toLowerCase().endsWith("id") ? uuid : "fuzzmissing1";
        }
        return violates(pattern, "fuzzmissing1") ? uuid : "fuzzmissing1";
    }

    /** Always refused: the wrong root type, whatever the route expects. */
    private byte[] invalidBody() {
        return op.bodyTypes().contains("application/json") ? "[]".getBytes(StandardCharsets.UTF_8)
                : "{\"id\":".getBytes(StandardCharsets.UTF_8);
    }

    private byte[] baseBodyBytes() {
        return op.hasBody() ? baseBody().toString().getBytes(StandardCharsets.UTF_8) : null;
    }

    private JsonNode baseBody() {
        JsonNode b = op.bodySchema() == null ? NODES.objectNode() : base(op.bodySchema(), 0);
        return b instanceof ObjectNode ? b : NODES.objectNode();
    }

    /** A value of the schema's types (not necessarily passing its constraints). */
    private JsonNode base(JsonNode schema, int depth) {
        JsonNode s = api.resolve(schema);
        if (s == null || depth > 4) {
            return NODES.nullNode();
        }
        switch (type(s)) {
            case "object" -> {
                ObjectNode o = NODES.objectNode();
                for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    o.set(e.getKey(), base(e.getValue(), depth + 1));
                }
                return o;
            }
            case "array" -> {
                return NODES.arrayNode().add(base(s.path("items"), depth + 1));
            }
            case "integer", "number" -> {
                return NODES.numberNode(s.has("minimum") ? s.get("minimum").asLong() : 1);
            }
            case "boolean" -> {
                return NODES.booleanNode(true);
            }
            default -> {
                if (s.has("enum")) {
                    return s.get("enum").get(0);
                }
                String format = s.path("format").asText("");
                if (format.equals("uuid")) {
                    return NODES.textNode(new UUID(random.nextLong(), random.nextLong()).toString());
                }
                if (format.equals("date-time")) {
                    return NODES.textNode("2026-01-31T12:00:00Z");
                }
                String pattern = s.path("pattern").asText(null);
                for (String candidate : List.of("fuzz-1", "fuzz", "ALLOW", "VERIFIED", "EU_AI_ACT", "a".repeat(64))) {
                    if (pattern == null || !violates(pattern, candidate)) {
                        return NODES.textNode(candidate);
                    }
                }
                return NODES.textNode("fuzz");
            }
        }
    }

    private static String type(JsonNode s) {
        if (s == null) {
            return "null";
        }
        if (s.has("type")) {
            return s.get("type").asText();
        }
        if (s.has("properties")) {
            return "object";
        }
        if (s.has("enum")) {
            return "string";
        }
        return "any";
    }

    /** Values of other JSON types that Jackson does not coerce into {@code type}. */
    private static List<JsonNode> wrongTypes(String type) {
        return switch (type) {
            case "string" -> List.of(NODES.objectNode(), NODES.arrayNode().add(1));
            case "integer", "number" -> List.of(NODES.textNode("abc"), NODES.objectNode(), NODES.booleanNode(true));
            case "boolean" -> List.of(NODES.textNode("maybe"), NODES.objectNode());
            case "array" -> List.of(NODES.textNode("x"), NODES.objectNode().put("a", 1));
            case "object" -> List.of(NODES.textNode("x"), NODES.arrayNode().add(1), NODES.numberNode(5));
            default -> List.of();
        };
    }

    /** Bean Validation's reading of an OpenAPI pattern: {@code \S} stands for @NotBlank, others match whole. */
    static boolean violates(String pattern, String value) {
        if (pattern.equals("\\S")) {
            return value.isBlank();
        }
        try {
            return !Pattern.compile(pattern).matcher(value).matches();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    private JsonNode randomJson(int depth) {
        int kind = depth == 0 ? random.nextInt(4) : random.nextInt(6);
        return switch (kind) {
            case 0 -> NODES.numberNode(random.nextLong());
            case 1 -> NODES.textNode(randomText());
            case 2 -> NODES.booleanNode(random.nextBoolean());
            case 3 -> NODES.nullNode();
            case 4 -> {
                ArrayNode a = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    a.add(randomJson(depth - 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = NODES.objectNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    o.set("k" + random.nextInt(1000), randomJson(depth - 1));
                }
                yield o;
            }
        };
    }

    private String randomText() {
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(20); i > 0; i--) {
            sb.appendCodePoint(random.nextInt(3) == 0 ? 0x20 + random.nextInt(0x2FF) : 'a' + random.nextInt(26));
        }
        return sb.toString();
    }

    /** Invalid UTF-8 inside the first string value of the base body (inside a field the route reads). */
    private byte[] invalidUtf8() {
        byte[] bad = {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
        String base = baseBody().toString();
        int at = base.indexOf(":\"");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (at < 0) {
            b.writeBytes("{\"x\":\"".getBytes(StandardCharsets.UTF_8));
            b.writeBytes(bad);
            b.writeBytes("\"}".getBytes(StandardCharsets.UTF_8));
        } else {
            b.writeBytes(base.substring(0, at + 2).getBytes(StandardCharsets.UTF_8));
            b.writeBytes(bad);
            b.writeBytes(base.substring(at + 2).getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    static String pretty(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (Exception e) {
            return n.toString();
        }
    }
}
