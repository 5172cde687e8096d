package io.trustplane.provenance.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.util.Optional;

/**
 * Reads tlog-tiles from what the sequencer already stores: a hash tile is one primary-key range scan of at most 256
 * perfect-subtree hashes in {@code tree_node}, an entry bundle one range scan of the {@code leaf_index} index.
 * Both sources are written once in the integrating transaction (together with the checkpoint that covers them) and
 * never updated, so a tile that was ever complete is the same bytes forever, on every replica.
 */
@ApplicationScoped
public class TileRepository {

    private final Pool pool;

    public TileRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * The {@code width} hashes at tree level {@code treeLevel} from index {@code start}, concatenated, or empty when
     * fewer than {@code width} are in the tree yet.
     */
    public Uni<Optional<byte[]>> hashes(int treeLevel, long start, int width) {
        return pool.preparedQuery("SELECT hash FROM tree_node WHERE level = $1 AND idx >= $2 AND idx < $3 ORDER BY idx")
                .execute(Tuple.of((short) treeLevel, start, start + width))
                .map(rows -> {
                    if (rows.size() < width) {
                        return Optional.empty();
                    }
                    ByteArrayOutputStream out = new ByteArrayOutputStream(width * 32);
                    for (Row row : rows) {
                        out.writeBytes(LogRepository.bytes(row, "hash"));
                    }
                    return Optional.of(out.toByteArray());
                });
    }

    /**
     * The entry bundle of leaves {@code [start, start + width)}: each leaf as a big-endian uint16 length and its
     * RFC 8785 bytes, or empty when fewer than {@code width} leaves are in the tree yet.
     */
    public Uni<Optional<byte[]>> entries(long start, int width) {
        return pool.preparedQuery("SELECT leaf FROM provenance_record WHERE leaf_index >= $1 AND leaf_index < $2"
                        + " ORDER BY leaf_index")
                .execute(Tuple.of(start, start + width))
                .map(rows -> {
                    if (rows.size() < width) {
                        return Optional.empty();
                    }
                    ByteArrayOutputStream out = new ByteArrayOutputStream(width * 512);
                    for (Row row : rows) {
                        byte[] leaf = LogRepository.bytes(row, "leaf");
                        out.write(leaf.length >>> 8);
                        out.write(leaf.length & 0xFF);
                        out.writeBytes(leaf);
                    }
                    return Optional.of(out.toByteArray());
                });
    }
}
