package com.alloygateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.alloygateway.testing.GraphQL;
import com.alloygateway.testing.KeycloakProfile;
import com.alloygateway.testing.KeycloakResource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Two real users of a real Keycloak (password grant) through the gateway: each sees only its own. */
@QuarkusTest
@TestProfile(KeycloakProfile.class)
class KeycloakEndToEndTest {

    private static final String DELETE = """
            mutation($c: ID!, $id: ID!) { deleteCredential(connectorId: $c, id: $id) }
            """;

    @Test
    void aliceAndBobAreSeparateTenants() {
        String alice = KeycloakResource.token("alice", "alice");
        String bob = KeycloakResource.token("bob", "bob");

        String aliceTenant = GraphQL.ok(alice, """
                mutation($name: String) { createUser(fullName: $name) { tenant provisioned } }
                """, Map.of("name", "Alice Merchant")).body("data.createUser.provisioned", equalTo(true))
                .extract().path("data.createUser.tenant");
        String bobTenant = GraphQL.ok(bob, "mutation { createUser { tenant } }", Map.of())
                .extract().path("data.createUser.tenant");
        assertThat(aliceTenant).isNotEqualTo(bobTenant);

        String aliceKey = GraphQL.ok(alice, """
                mutation($input: CreateCredentialInput!) { createCredential(input: $input) { credentialId } }
                """, Map.of("input", Map.of("connectorId", "shippo", "authenticationType", "apiKey",
                "data", Map.of("apiKey", "shippo_test_alice_0001"))))
                .extract().path("data.createCredential.credentialId");

        List<String> aliceSees = GraphQL.ok(alice, "{ credentials { id } }", Map.of())
                .extract().path("data.credentials.id");
        List<String> bobSees = GraphQL.ok(bob, "{ credentials { id } }", Map.of())
                .extract().path("data.credentials.id");
        assertThat(aliceSees).contains(aliceKey);
        assertThat(bobSees).doesNotContain(aliceKey);

        GraphQL.post(bob, DELETE, Map.of("c", "shippo", "id", aliceKey))
                .body("errors[0].extensions.code", equalTo("NOT_FOUND"));
        GraphQL.ok(alice, DELETE, Map.of("c", "shippo", "id", aliceKey))
                .body("data.deleteCredential", equalTo(true));
    }

    @Test
    void aTokenFromAnotherRealmOrNoneIsRefused() {
        GraphQL.post(null, "{ me { tenant } }").statusCode(401);
        GraphQL.post("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "{ me { tenant } }").statusCode(401);
    }
}
