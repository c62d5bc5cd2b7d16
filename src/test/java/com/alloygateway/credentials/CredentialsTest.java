package com.alloygateway.credentials;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.alloygateway.sandbox.SandboxJournal;
import com.alloygateway.testing.Browser;
import com.alloygateway.testing.GraphQL;
import com.alloygateway.testing.TenantClient;

import io.quarkus.test.junit.QuarkusTest;

/** The credential lifecycle against the embedded sandbox: API keys, OAuth end to end, validation. */
@QuarkusTest
class CredentialsTest {

    private static final String CREATE = """
            mutation($input: CreateCredentialInput!) { createCredential(input: $input) { credentialId oauthUrl } }
            """;
    private static final String LIST = """
            query($c: ID) { credentials(connectorId: $c) { id connectorId name type createdAt updatedAt } }
            """;
    private static final String DELETE = "mutation($c: ID!, $id: ID!) { deleteCredential(connectorId: $c, id: $id) }";
    private static final String ISO_MILLIS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    @Inject
    SandboxJournal journal;

    @Test
    void anApiKeyCredentialIsCreatedListedAndDeleted() {
        TenantClient alice = TenantClient.newTenant("alice");
        String userId = alice.provision();
        journal.clear();

        String id = alice.apiKeyCredential();

        GraphQL.ok(alice.token, LIST, Map.of("c", "shippo"))
                .body("data.credentials.size()", equalTo(1))
                .body("data.credentials[0].id", equalTo(id))
                .body("data.credentials[0].connectorId", equalTo("shippo"))
                .body("data.credentials[0].type", equalTo("shippo-apiKey"))
                .body("data.credentials[0].createdAt", matchesPattern(ISO_MILLIS));
        GraphQL.ok(alice.token, LIST, Map.of())
                .body("data.credentials.id", equalTo(List.of(id)));
        GraphQL.ok(alice.token, DELETE, Map.of("c", "shippo", "id", id))
                .body("data.deleteCredential", equalTo(true));
        GraphQL.ok(alice.token, LIST, Map.of("c", "shippo")).body("data.credentials.size()", equalTo(0));
        GraphQL.post(alice.token, DELETE, Map.of("c", "shippo", "id", id))
                .body("errors[0].extensions.code", equalTo("NOT_FOUND"));

        // Every user-scoped call carried the caller's Alloy user, never the owner's default
        // (credential metadata is catalog: account-wide).
        assertThat(journal.calls())
                .filteredOn(c -> c.path().contains("/credentials") && !c.path().endsWith("/metadata"))
                .isNotEmpty()
                .allSatisfy(c -> assertThat(c.userId()).isEqualTo(userId));
    }

    @Test
    void theOAuthFlowEndToEnd() {
        TenantClient bob = TenantClient.newTenant("bob");
        bob.provision();

        var started = GraphQL.ok(bob.token, """
                mutation($input: CreateCredentialInput!) {
                  createCredential(input: $input) { credentialId oauthUrl oauthFlow { id status connectorId redirectUri } }
                }
                """, Map.of("input", Map.of("connectorId", "hubspot",
                "authenticationType", "oauth2", "redirectUri", "https://app.example.com/integrations/done")))
                .body("data.createCredential.credentialId", nullValue())
                .body("data.createCredential.oauthFlow.status", equalTo("PENDING"))
                .body("data.createCredential.oauthFlow.redirectUri", equalTo("https://app.example.com/integrations/done"))
                .extract();
        String oauthUrl = started.path("data.createCredential.oauthUrl");
        String flowId = started.path("data.createCredential.oauthFlow.id");

        // The end user's browser: the consent page, Approve, then Alloy sends it to the gateway's return route.
        URI consent = URI.create(oauthUrl);
        given().urlEncodingEnabled(false).when().get(consent.getPath() + "?" + consent.getRawQuery())
                .then().statusCode(200).body(containsString("Approve"));
        URI gatewayReturn = Browser.consentOnly(oauthUrl, "approve");
        assertThat(gatewayReturn.getPath()).isEqualTo("/oauth/return/" + flowId);
        // The gateway sends it on to the app with the new credential.
        URI app = Browser.returnTo(gatewayReturn);
        assertThat(app.toString()).startsWith("https://app.example.com/integrations/done?");
        assertThat(Browser.queryParameter(app, "flowId")).isEqualTo(flowId);
        assertThat(Browser.queryParameter(app, "status")).isEqualTo("CONNECTED");
        assertThat(Browser.queryParameter(app, "connectorId")).isEqualTo("hubspot");
        String credentialId = Browser.queryParameter(app, "credentialId");
        assertThat(credentialId).matches("[0-9a-f]{24}");

        GraphQL.ok(bob.token, "query($id: ID!) { oauthFlow(id: $id) { status finishedAt credential { id connectorId type } } }",
                Map.of("id", flowId))
                .body("data.oauthFlow.status", equalTo("CONNECTED"))
                .body("data.oauthFlow.finishedAt", matchesPattern(ISO_MILLIS))
                .body("data.oauthFlow.credential.id", equalTo(credentialId))
                .body("data.oauthFlow.credential.type", equalTo("hubspot-oauth2"));
        GraphQL.ok(bob.token, LIST, Map.of("c", "hubspot"))
                .body("data.credentials.id", equalTo(List.of(credentialId)))
                .body("data.credentials[0].type", equalTo("hubspot-oauth2"))
                // The account owner's own HubSpot credential never shows.
                .body("data.credentials.name", not(hasItem("Account owner's HubSpot")));
        GraphQL.ok(bob.token, DELETE, Map.of("c", "hubspot", "id", credentialId))
                .body("data.deleteCredential", equalTo(true));
    }

    @Test
    void anOAuthCredentialTheGatewayHasNotListedYetCanBeDeleted() {
        TenantClient gina = TenantClient.newTenant("gina");
        gina.provision();
        String credentialId = gina.oauthCredential("notion");

        // Unknown to the gateway until now: it finds it in the caller's own list, then deletes it.
        GraphQL.ok(gina.token, DELETE, Map.of("c", "notion", "id", credentialId))
                .body("data.deleteCredential", equalTo(true));
        GraphQL.ok(gina.token, LIST, Map.of("c", "notion")).body("data.credentials.size()", equalTo(0));
    }

    @Test
    void aDeniedConsentCreatesNothing() {
        TenantClient carol = TenantClient.newTenant("carol");
        carol.provision();
        String oauthUrl = GraphQL.ok(carol.token, CREATE, Map.of("input", Map.of("connectorId", "slack",
                "authenticationType", "oauth2", "redirectUri", "https://app.example.com/cb")))
                .extract().path("data.createCredential.oauthUrl");
        URI app = Browser.consent(oauthUrl, "deny");
        assertThat(app.toString()).startsWith("https://app.example.com/cb?");
        assertThat(Browser.queryParameter(app, "status")).isEqualTo("FAILED");
        assertThat(Browser.queryParameter(app, "credentialId")).isNull();
        GraphQL.ok(carol.token, LIST, Map.of("c", "slack")).body("data.credentials.size()", equalTo(0));
    }

    @Test
    void badInputIsRefusedBeforeAlloyIsCalled() {
        TenantClient dave = TenantClient.newTenant("dave");
        dave.provision();
        journal.clear();

        GraphQL.post(dave.token, CREATE, Map.of("input", Map.of("connectorId", "shippo",
                "authenticationType", "password")))
                .body("errors[0].extensions.code", equalTo("INVALID_INPUT"))
                .body("errors[0].extensions.violations[0].path", equalTo("/input/authenticationType"))
                .body("errors[0].extensions.violations[0].message", equalTo("must be one of: apiKey"));
        GraphQL.post(dave.token, CREATE, Map.of("input", Map.of("connectorId", "shippo",
                "authenticationType", "apiKey", "data", Map.of("apiKey", "short"))))
                .body("errors[0].extensions.code", equalTo("INVALID_INPUT"))
                .body("errors[0].extensions.violations[0].path", equalTo("/input/data/apiKey"));
        GraphQL.post(dave.token, CREATE, Map.of("input", Map.of("connectorId", "shippo",
                "authenticationType", "apiKey", "data", Map.of("token", "x"))))
                .body("errors[0].extensions.violations[0].path", equalTo("/input/data/apiKey"));
        GraphQL.post(dave.token, CREATE, Map.of("input", Map.of("connectorId", "shippo",
                "authenticationType", "apiKey", "data", List.of("not", "an", "object"))))
                .body("errors[0].extensions.violations[0].path", equalTo("/input/data"));
        GraphQL.post(dave.token, CREATE, Map.of("input", Map.of("connectorId", "shopify",
                "authenticationType", "oauth2", "redirectUri", "javascript:alert(1)")))
                .body("errors[0].extensions.violations.path", hasItem("/input/redirectUri"))
                .body("errors[0].extensions.violations.path", hasItem("/input/data/shopSubdomain"));
        GraphQL.post(dave.token, CREATE, Map.of("input", Map.of("connectorId", "nope",
                "authenticationType", "apiKey")))
                .body("errors[0].extensions.code", equalTo("NOT_FOUND"));

        assertThat(journal.calls()).noneSatisfy(c -> assertThat(c.method()).isEqualTo("POST"));
    }

    @Test
    void theProvidersRefusalIsAnUpstreamErrorAndRecordsNothing() {
        TenantClient erin = TenantClient.newTenant("erin");
        erin.provision();
        GraphQL.post(erin.token, CREATE, Map.of("input", Map.of("connectorId", "shippo",
                "authenticationType", "apiKey", "data", Map.of("apiKey", "invalid-0123456789"))))
                .body("errors[0].extensions.code", equalTo("UPSTREAM_ERROR"))
                .body("errors[0].extensions.source", equalTo("THIRD_PARTY"))
                .body("errors[0].extensions.httpStatusCode", equalTo(401));
        GraphQL.ok(erin.token, LIST, Map.of()).body("data.credentials.size()", equalTo(0));
    }

    @Test
    void listingAnUnknownConnectorIsNotFound() {
        TenantClient frank = TenantClient.newTenant("frank");
        frank.provision();
        GraphQL.post(frank.token, LIST, Map.of("c", "nope")).body("errors[0].extensions.code", equalTo("NOT_FOUND"));
    }
}
