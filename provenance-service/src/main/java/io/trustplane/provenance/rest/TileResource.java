package io.trustplane.provenance.rest;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.common.security.Roles;
import io.trustplane.provenance.domain.TilePath;
import io.trustplane.provenance.service.ProvenanceService;
import io.trustplane.provenance.service.TileService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The log as C2SP tlog-tiles under the URL prefix {@code /v1/log/tiles}: the checkpoint, hash tiles and entry
 * bundles, so any standard tiles client can follow it. Hash tiles and the checkpoint carry only hashes and are
 * readable by every authenticated caller; entry bundles carry the leaves (agents' metadata) and are for services,
 * operators and admins only. Full tiles never change and are cacheable forever; partial tiles and the checkpoint
 * are short-lived.
 */
@Tag(name = "log",
        description = "The signed Merkle log behind the records: checkpoints, keys, proofs, and the C2SP tlog-tiles "
                + "any standard client reads.")
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

    @Operation(summary = "The tlog-tiles checkpoint",
            description = "The latest checkpoint as a C2SP tlog-checkpoint signed note, with any witness "
                    + "cosignatures; final=true gives the latest one cosigned by the witness quorum.")
    @APIResponse(responseCode = "200", description = "The checkpoint",
            content = @Content(mediaType = "text/plain; charset=utf-8", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404",
            description = "`not_found`: no checkpoint is cosigned by the witness quorum yet (final=true)")
    @GET
    @Path("/checkpoint")
    @Produces("text/plain; charset=utf-8")
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<RestResponse<String>> checkpoint(@QueryParam("final") boolean finalOnly) {
        return service.publishedCheckpoint(finalOnly).map(note -> RestResponse.ResponseBuilder.ok(note)
                .header("Cache-Control", CHECKPOINT).build());
    }

    @Operation(summary = "A hash tile",
            description = "Up to 256 32-byte hashes at tree level 8*L (C2SP tlog-tiles: tile/<L>/<N>[.p/<W>]). Full "
                    + "tiles are immutable and cached forever.")
    @APIResponse(responseCode = "200", description = "The tile bytes",
            content = @Content(mediaType = "application/octet-stream",
                    schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @GET
    @Path("/tile/{path: [0-9].*}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @RolesAllowed({Roles.AGENT, Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<RestResponse<byte[]>> hashTile(@PathParam("path") String path) {
        TilePath tile = parse(path);
        if (tile.level() * 8L > Short.MAX_VALUE) {
            throw ProblemException.notFound("tile", path);
        }
        return tiles.tile(tile).map(bytes -> respond(bytes, tile, path, IMMUTABLE, PARTIAL));
    }

    @Operation(summary = "An entry bundle",
            description = "Up to 256 RFC 8785 leaves, each after its big-endian uint16 length (C2SP tlog-tiles: "
                    + "tile/entries/<N>[.p/<W>]). Leaves carry agents' metadata, so agents may not read them.")
    @APIResponse(responseCode = "200", description = "The bundle bytes",
            content = @Content(mediaType = "application/octet-stream",
                    schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @GET
    @Path("/tile/entries/{path: .+}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN, Roles.SERVICE})
    public Uni<RestResponse<byte[]>> entryBundle(@PathParam("path") String path) {
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

    private static RestResponse<byte[]> respond(Optional<byte[]> bytes, TilePath tile, String path, String full,
            String partial) {
        if (bytes.isEmpty()) {
            throw ProblemException.notFound("tile", path);
        }
        return RestResponse.ResponseBuilder.ok(bytes.get(), MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Cache-Control", tile.isFull() ? full : partial).build();
    }
}
