package io.trustplane.testing;

/** Where a PostgreSQL server listens and how to log in to it. */
public record PgEndpoint(String host, int port, String user, String password) {

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    /**
     * Parses {@code postgresql://user[:password]@host[:port][/db]} (also {@code postgres://} and a leading
     * {@code jdbc:}); the database part is ignored because every service gets its own database.
     */
    public static PgEndpoint parse(String url) {
        String u = url.startsWith("jdbc:") ? url.substring(5) : url;
        java.net.URI uri = java.net.URI.create(u.replaceFirst("^postgres(ql)?://", "postgresql://"));
        String user = "postgres";
        String password = "";
        if (uri.getUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            user = parts[0];
            password = parts.length > 1 ? parts[1] : "";
        }
        if (uri.getQuery() != null) {
            for (String kv : uri.getQuery().split("&")) {
                String[] p = kv.split("=", 2);
                if (p.length == 2 && p[0].equals("user")) {
                    user = p[1];
                } else if (p.length == 2 && p[0].equals("password")) {
                    password = p[1];
                }
            }
        }
        String host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        return new PgEndpoint(host, port, user, password);
    }
}
