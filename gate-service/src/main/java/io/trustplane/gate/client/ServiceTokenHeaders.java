package io.trustplane.gate.client;

import io.trustplane.gate.config.ServicesConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/** Adds gate-service's service token to every call of its REST clients. */
@ApplicationScoped
public class ServiceTokenHeaders implements ClientHeadersFactory {

    private final ServicesConfig services;

    public ServiceTokenHeaders(ServicesConfig services) {
        this.services = services;
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        services.serviceToken().filter(t -> !t.isBlank()).ifPresent(t -> headers.add("Authorization", "Bearer " + t));
        return headers;
    }
}
