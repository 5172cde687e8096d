package io.trustplane.provenance.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Witness cosignatures of checkpoints, and the checkpoints as served with them. */
@ApplicationScoped
public class CosignatureRepository {

    private final Pool pool;

    public CosignatureRepository(Pool pool) {
        this.pool = pool;
    }

    /** Keeps a verified cosignature line (the first one per checkpoint and witness). */
    public Uni<Void> insert(long treeSize, String witness, String line) {
        return pool.preparedQuery("INSERT INTO checkpoint_cosignature (tree_size, witness, line) VALUES ($1, $2, $3)"
                        + " ON CONFLICT DO NOTHING")
                .execute(Tuple.of(treeSize, witness, line)).replaceWithVoid();
    }

    /** The latest checkpoint with its cosignature lines (from the witnesses named) appended, if any exists. */
    public Uni<Optional<String>> latest(String[] witnesses) {
        return pool.preparedQuery("SELECT k.note, coalesce(string_agg(c.line, '' ORDER BY c.witness), '') AS lines"
                        + " FROM tree_head h JOIN checkpoint k ON k.tree_size = h.tree_size"
                        + " LEFT JOIN checkpoint_cosignature c ON c.tree_size = k.tree_size AND c.witness = ANY($1)"
                        + " WHERE h.id = 1 GROUP BY k.note")
                .execute(Tuple.of(witnesses)).map(CosignatureRepository::note);
    }

    /** The latest checkpoint cosigned by at least {@code quorum} of the witnesses named, with those cosignatures. */
    public Uni<Optional<String>> latestFinal(String[] witnesses, int quorum) {
        // grouped by the primary key's leading column, newest first: the scan stops at the first final checkpoint
        return pool.preparedQuery("SELECT k.note, x.lines FROM (SELECT tree_size,"
                        + " string_agg(line, '' ORDER BY witness) AS lines FROM checkpoint_cosignature"
                        + " WHERE witness = ANY($1) GROUP BY tree_size HAVING count(*) >= $2"
                        + " ORDER BY tree_size DESC LIMIT 1) x JOIN checkpoint k ON k.tree_size = x.tree_size")
                .execute(Tuple.of(witnesses, quorum)).map(CosignatureRepository::note);
    }

    private static Optional<String> note(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(row.getString("note") + row.getString("lines"));
    }
}
