package io.trustplane.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A deliberately dumb HTTP/1.1 client over a socket: it sends exactly the bytes it is given (malformed escapes,
 * invalid UTF-8, duplicate or missing headers, no Content-Type), one connection per request, and reads the answer
 * to the end. Every Authorization value it sends is remembered, for the log scan, and every answer is handed to the
 * {@link Observations} (what the OpenAPI documents must list).
 */
final class RawHttp {

    /** One header line as sent or received. */
    record Header(String name, String value) {
    }

    /** What came back; {@code body} is empty when only the head of an event stream was read. */
    record Response(int status, List<Header> headers, byte[] body) {

        Optional<String> header(String name) {
            return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
        }

        String contentType() {
            return header("Content-Type").orElse("");
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A request as bytes: method, target (path and query, already encoded as wanted), headers, body. */
    record Request(String method, String target, List<Header> headers, byte[] body, boolean contentLength) {

        Request {
            headers = List.copyOf(headers);
        }
    }

    private static final int TIMEOUT_MS = 60_000;

    private final int port;
    private final List<String> authorizationValues;
    private final Observations observations;

    RawHttp(int port, List<String> authorizationValues, Observations observations) {
        this.port = port;
        this.authorizationValues = authorizationValues;
        this.observations = observations;
    }

    Response send(Request request, boolean headOnly) {
        Response response = exchange(request, headOnly);
        observations.add(port, request, response);
        return response;
    }

    private Response exchange(Request request, boolean headOnly) {
        for (Header h : request.headers()) {
            if (h.name().equalsIgnoreCase("Authorization")) {
                synchronized (authorizationValues) {
                    authorizationValues.add(h.value());
                }
            }
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes((request.method() + " " + request.target() + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1));
            head.writeBytes(("Host: 127.0.0.1:" + port + "\r\nConnection: close\r\n").getBytes(StandardCharsets.ISO_8859_1));
            for (Header h : request.headers()) {
                head.writeBytes((h.name() + ": " + h.value() + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            byte[] body = request.body() == null ? new byte[0] : request.body();
            if (request.contentLength() && (body.length > 0 || !request.method().equals("GET"))) {
                head.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            head.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.write(head.toByteArray());
            out.flush();
            InputStream in = socket.getInputStream();
            boolean expectContinue = request.headers().stream()
                    .anyMatch(h -> h.name().equalsIgnoreCase("Expect") && h.value().equalsIgnoreCase("100-continue"));
            if (expectContinue) {
                // an oversized body is only sent once the server asked for it: it should refuse it first
                Response first = read(in, false);
                if (first.status() != 100) {
                    return first;
                }
            }
            out.write(body);
            out.flush();
            return read(in, headOnly);
        } catch (IOException e) {
            throw new UncheckedIOException("no answer to " + request.method() + " " + abbreviate(request.target())
                    + " on port " + port + ": " + e, e);
        }
    }

    private static Response read(InputStream in, boolean headOnly) throws IOException {
        String statusLine = line(in);
        if (statusLine == null || !statusLine.startsWith("HTTP/1.")) {
            throw new IOException("no HTTP status line, got: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        List<Header> headers = new ArrayList<>();
        for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.add(new Header(l.substring(0, colon).trim(), l.substring(colon + 1).trim()));
        }
        Response head = new Response(status, headers, new byte[0]);
        boolean stream = headOnly && status == 200 && head.contentType().startsWith("text/event-stream");
        if (stream || status == 100 || status == 204 || status == 304) {
            return head;
        }
        boolean chunked = head.header("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))
                .orElse(false);
        Optional<String> length = head.header("Content-Length");
        byte[] body;
        if (chunked) {
            body = chunked(in);
        } else if (length.isPresent()) {
            body = in.readNBytes(Integer.parseInt(length.get()));
        } else {
            body = readToEnd(in);
        }
        return new Response(status, headers, body);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) {
                return body.toByteArray();
            }
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                return body.toByteArray();
            }
            body.writeBytes(in.readNBytes(n));
            line(in);
        }
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        try {
            return in.readAllBytes();
        } catch (SocketTimeoutException e) {
            return new byte[0];
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    static String abbreviate(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "...(" + s.length() + " chars)" : s;
    }
}
