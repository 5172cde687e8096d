package io.trustplane.telemetry.client;

import io.trustplane.telemetry.config.SuiteConfig;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

/** Adds {@code Authorization: Bearer <trustplane.service-token>} to a call to another Trustplane service, when set. */
public class ServiceTokenFilter implements ClientRequestFilter {

    private final SuiteConfig suite;

    public ServiceTokenFilter(SuiteConfig suite) {
        this.suite = suite;
    }

    @Override
    public void filter(ClientRequestContext request) {
        suite.token().ifPresent(t -> request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + t));
    }
}
