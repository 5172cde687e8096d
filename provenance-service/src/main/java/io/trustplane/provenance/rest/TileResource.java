package io.trustplane.provenance.rest;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.common.security.Roles;
import io.trustplane.provenance.service.ProvenanceService;
import io.trustplane.provenance.service.TilePath;
import io.trustplane.provenance.service.TileService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The log as C2SP tlog-tiles under the URL prefix {@code /v1/log/tiles}: the checkpoint, hash tiles and entry
 * bundles, so any standard tiles client can follow it. Hash tiles and the checkpoint carry only hashes and are
 * readable by every authenticated caller; entry bundles carry the leaves (agents' metadata) and are for services,
 * operators and admins only. Full tiles never change and are cacheable forever; partial tiles and the checkpoint
 * are short-lived.
 */
@Path("/v1/log/tiles")
public class TileResource {

    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String PARTIAL = "public, max-age=10";
    static final String PRIVATE_IMMUTABLE = "private, max-age=31536000, immutable";
    static final String PRIVATE_PARTIAL = "private, max-age=10";
    static final String CHECKPOINT = "no-cache";

    private final TileService tiles;
    private final ProvenanceService service;

    public TileResource(TileService tiles, ProvenanceService service) {
        this.tiles = tiles;
        this.service = service;
    }

    @GET
    @Path("/checkpoint")
    @Produces("text/plain; charset=utf-8")
    @RolesAllowed({Roles.AGENT, Roles.SERVICE, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "The latest checkpoint (C2SP tlog-checkpoint signed note, with any witness cosignatures)")
    public Uni<Response> checkpoint(@QueryParam("final") boolean finalOnly) {
        return service.publishedCheckpoint(finalOnly).map(note -> Response.ok(note)
                .header("Cache-Control", CHECKPOINT).build());
    }

    @GET
    @Path("/tile/{path: [0-9].*}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @RolesAllowed({Roles.AGENT, Roles.SERVICE, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "A hash tile: up to 256 32-byte hashes at tree level 8*L (C2SP tlog-tiles)")
    public Uni<Response> hashTile(@PathParam("path") String path) {
        TilePath tile = parse(path);
        if (tile.level() * 8L > Short.MAX_VALUE) {
            throw ProblemException.notFound("tile", path);
        }
        return tiles.tile(tile).map(bytes -> respond(bytes, tile, path, IMMUTABLE, PARTIAL));
    }

    @GET
    @Path("/tile/entries/{path: .+}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @RolesAllowed({Roles.SERVICE, Roles.OPERATOR, Roles.ADMIN})
    @Operation(summary = "An entry bundle: up to 256 RFC 8785 leaves, each after its big-endian uint16 length")
    public Uni<Response> entryBundle(@PathParam("path") String path) {
        TilePath tile = parse("entries/" + path);
        return tiles.tile(tile).map(bytes -> respond(bytes, tile, path, PRIVATE_IMMUTABLE, PRIVATE_PARTIAL));
    }

    private static TilePath parse(String path) {
        try {
            return TilePath.parse(path);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("path", e.getMessage());
        }
    }

    private static Response respond(Optional<byte[]> bytes, TilePath tile, String path, String full, String partial) {
        if (bytes.isEmpty()) {
            throw ProblemException.notFound("tile", path);
        }
        return Response.ok(bytes.get(), MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Cache-Control", tile.isFull() ? full : partial).build();
    }
}
