package io.trustplane.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** JDBC reads for tests that check a service's database directly. */
public final class Jdbc {

    private Jdbc() {
    }

    /** The first column of the first row of {@code sql} with {@code args} bound in order (a count, a sum). */
    public static long scalar(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no row from " + sql);
                }
                return rs.getLong(1);
            }
        }
    }
}
