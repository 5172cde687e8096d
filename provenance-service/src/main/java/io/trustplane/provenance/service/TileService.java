package io.trustplane.provenance.service;

import io.smallrye.mutiny.Uni;
import io.trustplane.provenance.config.ProvenanceConfig;
import io.trustplane.provenance.domain.TilePath;
import io.trustplane.provenance.repository.TileRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves tiles from the stored tree. A full hash tile never changes once all its 256 hashes exist, so this
 * replica keeps up to {@code trustplane.provenance.tiles.cache-size} of them in memory (8 KiB each) and answers
 * them without a query; the cache is emptied when full. Partial tiles and entry bundles (larger, and read only by
 * operators and services) are read each time.
 */
@ApplicationScoped
public class TileService {

    private final TileRepository tiles;
    private final int cacheSize;
    private final Map<TilePath, byte[]> full = new ConcurrentHashMap<>();

    public TileService(TileRepository tiles, ProvenanceConfig config) {
        this.tiles = tiles;
        this.cacheSize = config.tiles().cacheSize();
    }

    /** The tile's bytes, or empty when the tree does not hold all of its hashes or leaves yet. */
    public Uni<Optional<byte[]>> tile(TilePath tile) {
        if (tile.isEntries()) {
            return tiles.entries(tile.index() * TilePath.WIDTH, tile.width());
        }
        byte[] cached = tile.isFull() ? full.get(tile) : null;
        if (cached != null) {
            return Uni.createFrom().item(Optional.of(cached));
        }
        return tiles.hashes(tile.level() * 8, tile.index() * TilePath.WIDTH, tile.width()).invoke(bytes -> {
            if (bytes.isPresent() && tile.isFull() && cacheSize > 0) {
                if (full.size() >= cacheSize) {
                    full.clear();
                }
                full.put(tile, bytes.get());
            }
        });
    }
}
