package io.trustplane.provenance.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * C2SP tlog-witness {@code add-checkpoint} as a REST client interface. Every witness has its own URL (the
 * {@code trustplane.provenance.witness.endpoints} map), so {@link WitnessClient} builds one instance per witness with
 * that URL as its base; the status is the protocol's answer (200 cosigned, 409 the witness's size, anything else a
 * refusal), so no status is turned into an exception and the body is read from the {@link Response} whatever the
 * status.
 */
@RegisterRestClient(configKey = "witness")
public interface WitnessApi {

    /** Posts {@code old <size>}, the consistency proof, a blank line and the signed checkpoint. */
    @POST
    @Consumes("text/plain; charset=utf-8")
    @Produces(MediaType.WILDCARD)
    Uni<Response> addCheckpoint(String body);
}
