package com.alloygateway.testing;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * The real services every {@code @QuarkusTest} runs against, whatever its profile: an OIDC issuer
 * (quarkus-test-oidc-server serves discovery and JWKS, and the gateway checks tokens as it would against
 * Keycloak) and an embedded PostgreSQL.
 */
@QuarkusTestResource(OidcTestIssuer.class)
@QuarkusTestResource(PostgresResource.class)
public final class TestServices {
    private TestServices() {
    }
}
