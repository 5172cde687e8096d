package io.trustplane.lease;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.trustplane.testing.PlatformContractTest;
import io.trustplane.testing.TrustplaneTestResource;

/** The platform contract again, against the packaged application (the jar in CI, the native executable with -Pnative). */
@QuarkusIntegrationTest
@WithTestResource(value = TrustplaneTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "trustplane_lease"))
class PlatformIT extends PlatformContractTest {

    @Override
    protected String serviceName() {
        return "lease-service";
    }
}
