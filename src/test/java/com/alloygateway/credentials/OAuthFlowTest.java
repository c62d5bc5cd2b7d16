package com.alloygateway.credentials;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.alloygateway.db.Database;
import com.alloygateway.sandbox.SandboxJournal;
import com.alloygateway.testing.Browser;
import com.alloygateway.testing.GraphQL;
import com.alloygateway.testing.GraphQLWebSocket;
import com.alloygateway.testing.TenantClient;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * OAuth consents that hand the app its credential: the gateway's return route, the app's redirect with
 * {@code flowId}, {@code status} and {@code credentialId}, the flow by query and by subscription (token on
 * the upgrade or in {@code connection_init}), expiry, one answer per flow, the redirect allowlist.
 */
@QuarkusTest
class OAuthFlowTest {

    private static final String START = """
            mutation($input: CreateCredentialInput!) {
              createCredential(input: $input) { credentialId oauthUrl oauthFlow { id status expiresAt } }
            }
            """;
    private static final String WATCH = """
            subscription($id: ID!) { oauthFlow(id: $id) { id status credential { id connectorId } } }
            """;
    private static final String FLOW = "query($id: ID!) { oauthFlow(id: $id) { id status finishedAt credential { id } } }";

    @TestHTTPResource("/graphql")
    URI graphql;

    @Inject
    SandboxJournal journal;

    @Inject
    Database db;

    private record Started(String flowId, String oauthUrl) {
    }

    private static Started start(TenantClient who, String connectorId, String redirectUri) {
        var answer = GraphQL.ok(who.token, START, Map.of("input", Map.of("connectorId", connectorId,
                "authenticationType", "oauth2", "redirectUri", redirectUri))).extract();
        return new Started(answer.path("data.createCredential.oauthFlow.id"),
                answer.path("data.createCredential.oauthUrl"));
    }

    @Test
    void aSubscriptionWithTheTokenOnTheUpgradeSeesPendingThenConnected() {
        TenantClient ann = TenantClient.newTenant("ann");
        ann.provision();
        Started flow = start(ann, "hubspot", "https://app.example.com/done");

        try (GraphQLWebSocket socket = GraphQLWebSocket.withHeader(graphql, ann.token)) {
            assertThat(socket.next().getString("type")).isEqualTo("connection_ack");
            socket.subscribe("1", WATCH, Map.of("id", flow.flowId()));
            JsonObject first = socket.next();
            assertThat(first.getString("type")).isEqualTo("next");
            assertThat(status(first)).isEqualTo("PENDING");

            URI app = Browser.consent(flow.oauthUrl(), "approve");
            String credentialId = Browser.queryParameter(app, "credentialId");

            List<JsonObject> rest = socket.until("complete", "error");
            assertThat(rest.get(rest.size() - 1).getString("type")).isEqualTo("complete");
            JsonObject last = rest.get(rest.size() - 2);
            assertThat(status(last)).isEqualTo("CONNECTED");
            assertThat(last.getJsonObject("payload").getJsonObject("data").getJsonObject("oauthFlow")
                    .getJsonObject("credential").getString("id")).isEqualTo(credentialId);
        }
    }

    @Test
    void aSubscriptionWithTheTokenInConnectionInitSeesADeniedConsentFail() {
        TenantClient ben = TenantClient.newTenant("ben");
        ben.provision();
        Started flow = start(ben, "slack", "https://app.example.com/done");

        try (GraphQLWebSocket socket = GraphQLWebSocket.withInitPayload(graphql, ben.token)) {
            assertThat(socket.next().getString("type")).isEqualTo("connection_ack");
            socket.subscribe("1", WATCH, Map.of("id", flow.flowId()));
            assertThat(status(socket.next())).isEqualTo("PENDING");
            Browser.consent(flow.oauthUrl(), "deny");
            List<JsonObject> rest = socket.until("complete", "error");
            assertThat(status(rest.get(rest.size() - 2))).isEqualTo("FAILED");
        }
    }

    @Test
    void aSubscriptionWithoutATokenOrToAnotherTenantsFlowEndsWithoutAnEvent() {
        TenantClient cat = TenantClient.newTenant("cat");
        TenantClient dan = TenantClient.newTenant("dan");
        cat.provision();
        dan.provision();
        Started flow = start(cat, "hubspot", "https://app.example.com/done");

        try (GraphQLWebSocket socket = GraphQLWebSocket.withHeader(graphql, null)) {
            assertThat(socket.next().getString("type")).isEqualTo("connection_ack");
            socket.subscribe("1", WATCH, Map.of("id", flow.flowId()));
            assertThat(socket.next().getString("type")).isEqualTo("complete");
        }
        try (GraphQLWebSocket socket = GraphQLWebSocket.withHeader(graphql, dan.token)) {
            assertThat(socket.next().getString("type")).isEqualTo("connection_ack");
            socket.subscribe("1", WATCH, Map.of("id", flow.flowId()));
            assertThat(socket.next().getString("type")).isEqualTo("complete");
            socket.subscribe("2", WATCH, Map.of("id", "not-a-flow"));
            assertThat(socket.next().getString("type")).isEqualTo("complete");
        }
        GraphQL.ok(dan.token, FLOW, Map.of("id", flow.flowId())).body("data.oauthFlow", nullValue());
        GraphQL.ok(cat.token, FLOW, Map.of("id", flow.flowId())).body("data.oauthFlow.status", equalTo("PENDING"));
    }

    @Test
    void aFlowAnswersOnce() {
        TenantClient eve = TenantClient.newTenant("eve");
        eve.provision();
        Started flow = start(eve, "hubspot", "https://app.example.com/done");
        URI gatewayReturn = Browser.consentOnly(flow.oauthUrl(), "approve");
        Browser.returnTo(gatewayReturn);

        given().redirects().follow(false).get(gatewayReturn.getRawPath()).then().statusCode(410)
                .header("Cache-Control", "no-store");
        given().redirects().follow(false).get("/oauth/return/" + "A".repeat(43)).then().statusCode(404);
        given().redirects().follow(false).get("/oauth/return/not-a-flow").then().statusCode(404);
    }

    @Test
    void aFlowNotFinishedInTimeExpires() {
        TenantClient fay = TenantClient.newTenant("fay");
        fay.provision();
        Started flow = start(fay, "hubspot", "https://app.example.com/done");
        db.write(s -> s.createNativeQuery("update oauth_flow set expires_at = now() - interval '1 second' where id = :id")
                .setParameter("id", flow.flowId()).executeUpdate()).await().indefinitely();

        GraphQL.ok(fay.token, FLOW, Map.of("id", flow.flowId())).body("data.oauthFlow.status", equalTo("EXPIRED"));
        URI app = Browser.consent(flow.oauthUrl(), "approve");
        assertThat(Browser.queryParameter(app, "status")).isEqualTo("EXPIRED");
        assertThat(Browser.queryParameter(app, "credentialId")).isNull();
    }

    @Test
    void aNativeAppGetsItsCredentialThroughItsOwnScheme() {
        TenantClient gus = TenantClient.newTenant("gus");
        gus.provision();
        Started flow = start(gus, "notion", "com.example.app:/oauth/done");
        URI app = Browser.consent(flow.oauthUrl(), "approve");
        assertThat(app.toString()).startsWith("com.example.app:/oauth/done?flowId=");
        assertThat(Browser.queryParameter(app, "credentialId")).isNotNull();
    }

    @Test
    void aTypeThatNeedsAnAuthConfigAndDataSaysWhereAtTheCallersPaths() {
        TenantClient hal = TenantClient.newTenant("hal");
        hal.provision();
        GraphQL.post(hal.token, START, Map.of("input", Map.of("connectorId", "zendesk", "authenticationType", "oauth2",
                "redirectUri", "https://app.example.com/done")))
                .body("errors[0].extensions.code", equalTo("INVALID_INPUT"))
                .body("errors[0].extensions.violations.path", equalTo(List.of("/input/authConfigId", "/input/data/subdomain")));
        GraphQL.ok(hal.token, START, Map.of("input", Map.of("connectorId", "zendesk", "authenticationType", "oauth2",
                "redirectUri", "https://app.example.com/done", "authConfigId", "68a0c1d2e3f4a5b6c7d8e9f0",
                "data", Map.of("subdomain", "acme"))))
                .body("data.createCredential.oauthFlow.status", equalTo("PENDING"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example.net/cb", "https://app.example.com.evil.net/cb",
            "https://user@app.example.com/cb", "https://app.example.com/cb#fragment", "javascript:alert(1)",
            "data:text/html,hi", "https://app.example.com/../cb", "com.example.app:/oauthx", "//app.example.com/cb",
            "https://app.example.com/c b"})
    void anUnlistedRedirectIsRefusedAndNothingReachesAlloy(String redirectUri) {
        TenantClient ivy = TenantClient.newTenant("ivy");
        ivy.provision();
        journal.clear();
        GraphQL.post(ivy.token, START, Map.of("input", Map.of("connectorId", "hubspot", "authenticationType", "oauth2",
                "redirectUri", redirectUri)))
                .body("data", nullValue())
                .body("errors[0].extensions.code", equalTo("INVALID_INPUT"))
                .body("errors[0].extensions.violations.path", hasItem("/input/redirectUri"));
        assertThat(journal.calls()).noneSatisfy(c -> assertThat(c.method()).isEqualTo("POST"));
        assertThat(journal.calls()).noneSatisfy(c -> assertThat(c.path()).contains("/credentials"));
    }

    private static String status(JsonObject next) {
        return next.getJsonObject("payload").getJsonObject("data").getJsonObject("oauthFlow").getString("status");
    }
}
