package io.trustplane.telemetry.client;

import io.trustplane.telemetry.config.ServicesConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

/** Adds {@code Authorization: Bearer <trustplane.service-token>} to a call to another Trustplane service, when set. */
@ApplicationScoped
public class ServiceTokenFilter implements ClientRequestFilter {

    private final ServicesConfig services;

    public ServiceTokenFilter(ServicesConfig services) {
        this.services = services;
    }

    @Override
    public void filter(ClientRequestContext request) {
        services.token().ifPresent(t -> request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + t));
    }
}
