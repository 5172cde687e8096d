package io.trustplane.lease.client;

import io.smallrye.mutiny.Uni;
import io.trustplane.lease.domain.LedgerAnchor;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;

/** provenance-service's anchor lookup, as a REST client (built by {@link ProvenanceClient} with its URL and token). */
@RegisterRestClient(configKey = "provenance")
@Path("/v1/anchors")
public interface ProvenanceApi {

    /** The anchors the log holds for a task's ledger entries. */
    @GET
    @Path("/ledger/{taskId}")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<List<LedgerAnchor>> ledgerAnchors(@PathParam("taskId") String taskId);
}
