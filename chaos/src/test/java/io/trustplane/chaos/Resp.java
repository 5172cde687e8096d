package io.trustplane.chaos;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal RESP2 client (one connection, one command at a time) for what the chaos tests do to Redis directly:
 * XADD probe events, read entries as a consumer that then "dies", XPENDING. Connects per command, so a Redis
 * restart between commands needs no reconnect logic.
 */
final class Resp {

    private final String host;
    private final int port;

    Resp(String redisUrl) {
        URI uri = URI.create(redisUrl);
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? 6379 : uri.getPort();
    }

    /** Sends one command and returns its reply: String, Long, List, or null; a Redis error is thrown. */
    Object call(String... args) {
        return pipeline(List.<String[]>of(args)).get(0);
    }

    /** Sends the commands on one connection and returns their replies in order. */
    List<Object> pipeline(List<String[]> commands) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            for (String[] args : commands) {
                req.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                for (String a : args) {
                    byte[] b = a.getBytes(StandardCharsets.UTF_8);
                    req.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    req.writeBytes(b);
                    req.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            }
            out.write(req.toByteArray());
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            List<Object> replies = new ArrayList<>();
            for (int i = 0; i < commands.size(); i++) {
                replies.add(read(in));
            }
            return replies;
        } catch (IOException e) {
            throw new UncheckedIOException("redis " + host + ":" + port + " " + commands.get(0)[0] + ": "
                    + e.getMessage(), e);
        }
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new IllegalStateException("redis error: " + line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int len = Integer.parseInt(line);
                if (len < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(len + 2);
                return new String(b, 0, len, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("unexpected RESP type " + (char) type + " " + line);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\r') {
                in.read(); // \n
                break;
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /** XADD with the platform's single field ({@code event}); returns the entry id. */
    String xadd(String stream, String eventJson) {
        return (String) call("XADD", stream, "*", "event", eventJson);
    }

    /**
     * Appends the events and, in the same MULTI/EXEC, reads them as {@code consumer} of {@code group} without
     * acknowledging: atomically, so no live member blocked on the stream can take them first. The consumer
     * then "dies": the entries stay pending on it until another member claims them. Returns the entry ids read.
     */
    @SuppressWarnings("unchecked")
    List<String> addAndAbandon(String stream, String group, String consumer, List<String> eventsJson) {
        List<String[]> commands = new ArrayList<>();
        commands.add(new String[] {"MULTI"});
        for (String json : eventsJson) {
            commands.add(new String[] {"XADD", stream, "*", "event", json});
        }
        commands.add(new String[] {"XREADGROUP", "GROUP", group, consumer, "COUNT",
                Integer.toString(eventsJson.size()), "STREAMS", stream, ">"});
        commands.add(new String[] {"EXEC"});
        List<Object> replies = pipeline(commands);
        List<Object> exec = (List<Object>) replies.get(replies.size() - 1);
        return entryIds(exec.get(exec.size() - 1));
    }

    @SuppressWarnings("unchecked")
    private static List<String> entryIds(Object reply) {
        List<String> ids = new ArrayList<>();
        if (reply == null) {
            return ids;
        }
        for (Object streamReply : (List<Object>) reply) {
            List<Object> entries = (List<Object>) ((List<Object>) streamReply).get(1);
            for (Object entry : entries) {
                ids.add((String) ((List<Object>) entry).get(0));
            }
        }
        return ids;
    }

    /** Entries of {@code group} delivered but not acknowledged (XPENDING summary count). */
    @SuppressWarnings("unchecked")
    long pending(String stream, String group) {
        List<Object> summary = (List<Object>) call("XPENDING", stream, group);
        return (Long) summary.get(0);
    }

    /** Entries of {@code group} pending on {@code consumer}. */
    @SuppressWarnings("unchecked")
    long pendingOn(String stream, String group, String consumer) {
        List<Object> rows = (List<Object>) call("XPENDING", stream, group, "-", "+", "100000", consumer);
        return rows.size();
    }
}
