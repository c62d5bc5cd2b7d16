package com.alloygateway.testing;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The gateway checking tokens of a real Keycloak instead of the test issuer. */
public class KeycloakProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KeycloakResource.class), new TestResourceEntry(PostgresResource.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
