package io.trustplane.gate.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

import java.util.Optional;

/**
 * Adds gate-service's service token (a JWT with the service role, {@code trustplane.service-token}) to every call
 * of its REST clients; the one place gate-service reads the token.
 */
@ApplicationScoped
public class ServiceTokenHeaders implements ClientHeadersFactory {

    private final Optional<String> token;

    public ServiceTokenHeaders(@ConfigProperty(name = "trustplane.service-token") Optional<String> token) {
        this.token = token.filter(t -> !t.isBlank());
    }

    /** Whether a token is configured; without one gate-service calls no other service. */
    public boolean configured() {
        return token.isPresent();
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        token.ifPresent(t -> headers.add("Authorization", "Bearer " + t));
        return headers;
    }
}
