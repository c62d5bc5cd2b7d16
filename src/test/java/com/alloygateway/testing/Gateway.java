package com.alloygateway.testing;

import java.util.Map;
import java.util.UUID;

import io.restassured.path.json.JsonPath;

/** Steps a frontend takes, as one tenant: a fresh subject per instance, so tests never share tenants. */
public final class Gateway {

    public final String subject;
    public final String token;

    private Gateway(String subject) {
        this.subject = subject;
        this.token = Tokens.of(subject);
    }

    public static Gateway newTenant(String label) {
        return new Gateway(label + "-" + UUID.randomUUID());
    }

    /** Provisions the tenant's Alloy user and returns its id. */
    public String provision() {
        return GraphQL.ok(token, "mutation { createUser { alloyUserId provisioned } }", Map.of())
                .extract().path("data.createUser.alloyUserId");
    }

    /** Creates a Shippo API-key credential and returns its id. */
    public String apiKeyCredential() {
        return GraphQL.ok(token, """
                mutation($input: CreateCredentialInput!) { createCredential(input: $input) { credentialId oauthUrl } }
                """, Map.of("input", Map.of("connectorId", "shippo", "authenticationType", "apiKey",
                "data", Map.of("apiKey", "shippo_test_" + UUID.randomUUID()))))
                .extract().path("data.createCredential.credentialId");
    }

    public JsonPath post(String query, Map<String, Object> variables) {
        return GraphQL.post(token, query, variables).statusCode(200).extract().jsonPath();
    }
}
