package com.alloygateway.testing;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * A real OIDC issuer for every {@code @QuarkusTest}: quarkus-test-oidc-server serves discovery and JWKS,
 * and the gateway checks tokens against it as it would against Keycloak.
 */
@QuarkusTestResource(OidcWiremockTestResource.class)
public final class OidcTestResource {
    private OidcTestResource() {
    }
}
