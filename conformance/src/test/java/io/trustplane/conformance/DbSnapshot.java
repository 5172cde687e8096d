package io.trustplane.conformance;

import io.trustplane.testing.PgEndpoint;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a service's database holds, table by table: the row count and an MD5 over the rows in a fixed order. Two
 * equal snapshots mean nothing was inserted, changed or deleted in between.
 */
record DbSnapshot(String database, Map<String, String> tables) {

    static DbSnapshot of(PgEndpoint pg, String database) {
        Map<String, String> tables = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(database), pg.user(), pg.password());
                Statement st = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) "
                    + "FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
                    + "AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            for (String table : names) {
                try (ResultSet rs = st.executeQuery("SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' "
                        + "ORDER BY t::text)), '-') FROM " + table + " t")) {
                    rs.next();
                    tables.put(table, rs.getLong(1) + " rows, md5 " + rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot snapshot " + database + ": " + e.getMessage(), e);
        }
        return new DbSnapshot(database, tables);
    }

    /** The tables whose content differs, with before and after. */
    List<String> differences(DbSnapshot after) {
        List<String> out = new ArrayList<>();
        for (String table : tables.keySet()) {
            if (!tables.get(table).equals(after.tables().get(table))) {
                out.add(database + "." + table + ": " + tables.get(table) + " -> " + after.tables().get(table));
            }
        }
        for (String table : after.tables().keySet()) {
            if (!tables.containsKey(table)) {
                out.add(database + "." + table + ": new table");
            }
        }
        return out;
    }
}
