package com.alloygateway.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;

/**
 * quarkus-test-oidc-server's issuer (discovery, JWKS) for the gateway to check {@link Tokens} against, with
 * the audience check on, as a deployment should have it.
 */
public class OidcTestIssuer implements QuarkusTestResourceLifecycleManager {

    private final OidcWiremockTestResource server = new OidcWiremockTestResource();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(server.start());
        config.put("quarkus.oidc.auth-server-url", config.get("keycloak.url") + "/realms/quarkus");
        config.put("quarkus.oidc.token.audience", Tokens.AUDIENCE);
        return config;
    }

    @Override
    public void stop() {
        server.stop();
    }
}
