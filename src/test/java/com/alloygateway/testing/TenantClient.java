package com.alloygateway.testing;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

import io.restassured.path.json.JsonPath;

/**
 * One tenant's client: the steps a frontend takes with that tenant's token. A fresh subject per instance, so
 * tests never share tenants.
 */
public final class TenantClient {

    public final String subject;
    public final String token;

    private TenantClient(String subject) {
        this.subject = subject;
        this.token = Tokens.of(subject);
    }

    public static TenantClient newTenant(String label) {
        return new TenantClient(label + "-" + UUID.randomUUID());
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

    /** Connects an OAuth credential through the sandbox's consent page and the gateway's return; its id. */
    public String oauthCredential(String connectorId) {
        String oauthUrl = GraphQL.ok(token, """
                mutation($input: CreateCredentialInput!) { createCredential(input: $input) { oauthUrl } }
                """, Map.of("input", Map.of("connectorId", connectorId, "authenticationType", "oauth2",
                "redirectUri", "https://app.example.com/done")))
                .extract().path("data.createCredential.oauthUrl");
        URI appRedirect = Browser.consent(oauthUrl, "approve");
        return Browser.queryParameter(appRedirect, "credentialId");
    }

    /** Runs an action; the answer's JSON. */
    public JsonPath execute(Map<String, Object> input) {
        return post("""
                mutation($input: ExecuteActionInput!) {
                  executeAction(input: $input) {
                    id connectorId actionId credentialId status responseData upstreamStatus attempts durationMs
                    errorCode startedAt idempotencyKey
                  }
                }
                """, Map.of("input", input));
    }

    public JsonPath post(String query, Map<String, Object> variables) {
        return GraphQL.post(token, query, variables).statusCode(200).extract().jsonPath();
    }
}
