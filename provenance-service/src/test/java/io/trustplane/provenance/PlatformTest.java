package io.trustplane.provenance;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.trustplane.testing.PlatformContractTest;
import io.trustplane.testing.TrustplaneTestResource;

@QuarkusTest
@WithTestResource(value = TrustplaneTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "trustplane_provenance"))
class PlatformTest extends PlatformContractTest {

    @Override
    protected String serviceName() {
        return "provenance-service";
    }
}
