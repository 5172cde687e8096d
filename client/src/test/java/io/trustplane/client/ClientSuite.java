package io.trustplane.client;

import io.trustplane.launcher.ServiceSpec;
import io.trustplane.launcher.SharedSuite;

import java.util.List;
import java.util.Map;

/**
 * The packaged suite, started once for all the client's test classes (see {@link SharedSuite}). Leases may be renewed
 * 15 times here, so that keeping one alive for several short TTLs and reaching the limit both fit in a few seconds.
 */
final class ClientSuite extends SharedSuite {

    static final int MAX_RENEWALS = 15;

    private ClientSuite() {
        super("client", List.of(), Map.of("trustplane.lease.max-renewals", Integer.toString(MAX_RENEWALS)));
    }

    /** A client for {@code token} against the suite's four services. */
    TrustplaneClient client(String token) {
        return builder(token).build();
    }

    TrustplaneClient.Builder builder(String token) {
        return TrustplaneClient.builder()
                .lease(url(ServiceSpec.byName("lease"))).provenance(url(ServiceSpec.byName("provenance")))
                .gate(url(ServiceSpec.byName("gate"))).telemetry(url(ServiceSpec.byName("telemetry")))
                .token(token);
    }

    /** Starts the suite on first use and hands it to every test that declares it as a parameter. */
    static final class Extension extends Resolver<ClientSuite> {
        Extension() {
            super(ClientSuite.class, ClientSuite::new);
        }
    }
}
