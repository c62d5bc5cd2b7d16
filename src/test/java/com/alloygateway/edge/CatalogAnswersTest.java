package com.alloygateway.edge;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.alloygateway.testing.GatewayState;
import com.alloygateway.testing.GraphQL;
import com.alloygateway.testing.InjectWireMock;
import com.alloygateway.testing.Tokens;
import com.alloygateway.testing.WireMockAlloyProfile;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Whole answers kept for catalog-only queries ({@link CatalogAnswers}): served byte for byte to the same request,
 * whoever asks (catalog data is account-wide), never for a document that touches a tenant's data or whose
 * answer had errors, never past the catalog entry it was built from, and never before the request has passed
 * the token, tenant and rate checks. Alloy is WireMock here; the profile's catalog TTL is 2 s.
 */
@QuarkusTest
@TestProfile(WireMockAlloyProfile.class)
class CatalogAnswersTest {

    private static final String CONNECTORS = """
            {"connectors":[{"id":"hubspot","name":"HubSpot","group":["input"],"category":["crm"]},
              {"id":"slack","name":"Slack","group":["output"],"category":["communication"]}]}""";

    @InjectWireMock
    WireMockServer alloy;

    @Inject
    GatewayState state;

    @Inject
    CatalogAnswers answers;

    @BeforeEach
    void reset() {
        alloy.resetAll();
        state.reset();
        alloy.stubFor(get("/connectors").willReturn(okJson(CONNECTORS)));
    }

    private static Response post(String token, String body, String accept) {
        var request = given().contentType("application/json").body(body);
        if (accept != null) {
            request.accept(accept);
        }
        if (token != null) {
            request.auth().oauth2(token);
        }
        return request.when().post("/graphql");
    }

    private static String body(String query) {
        return "{\"query\":\"" + query + "\"}";
    }

    @Test
    void aCatalogAnswerIsServedAgainByteForByteWhoeverAsks() {
        String body = body("{ connectors { id name } } # " + UUID.randomUUID());
        long hits = answers.hits();
        Response first = post(Tokens.of("answers-a-" + UUID.randomUUID()), body, null);
        Response second = post(Tokens.of("answers-b-" + UUID.randomUUID()), body, null);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.jsonPath().getList("data.connectors.id")).containsExactly("hubspot", "slack");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.asByteArray()).isEqualTo(first.asByteArray());
        assertThat(second.contentType()).isEqualTo(first.contentType());
        assertThat(second.header("X-Request-Id")).as("set before the edge, on kept answers too").isNotBlank()
                .isNotEqualTo(first.header("X-Request-Id"));
        assertThat(answers.hits() - hits).as("the second request answered from the kept answer").isEqualTo(1);
        alloy.verify(1, getRequestedFor(urlEqualTo("/connectors")));
    }

    @Test
    void variablesAndTheAcceptHeaderEachMakeTheirOwnAnswer() {
        String query = "query($id: ID!) { connector(id: $id) { name } } # " + UUID.randomUUID();
        String token = Tokens.of("answers-variables-" + UUID.randomUUID());
        for (int round = 0; round < 2; round++) {
            GraphQL.ok(token, query, Map.of("id", "hubspot")).body("data.connector.name", equalTo("HubSpot"));
            GraphQL.ok(token, query, Map.of("id", "slack")).body("data.connector.name", equalTo("Slack"));
        }
        String body = body("{ connector(id: \\\"slack\\\") { name } } # " + UUID.randomUUID());
        for (int round = 0; round < 2; round++) {
            Response spec = post(token, body, DocumentGuard.GRAPHQL_RESPONSE_JSON);
            Response plain = post(token, body, "application/json");
            assertThat(spec.contentType()).startsWith(DocumentGuard.GRAPHQL_RESPONSE_JSON);
            assertThat(plain.contentType()).startsWith("application/json");
            assertThat(spec.jsonPath().getString("data.connector.name")).isEqualTo("Slack");
            assertThat(plain.jsonPath().getString("data.connector.name")).isEqualTo("Slack");
        }
    }

    @Test
    void answersWithATenantsDataOrWithErrorsAreNeverKept() {
        long kept = answers.kept();
        String alice = "answers-alice-" + UUID.randomUUID();
        String bob = "answers-bob-" + UUID.randomUUID();
        for (int round = 0; round < 2; round++) {
            for (String subject : new String[] {alice, bob}) {
                String token = Tokens.of(subject);
                GraphQL.ok(token, "{ me { subject } }", Map.of()).body("data.me.subject", equalTo(subject));
                GraphQL.ok(token, "{ connectors { id } me { subject } }", Map.of())
                        .body("data.me.subject", equalTo(subject));
                GraphQL.ok(token, "query Both { ...Mine } fragment Mine on Query { connectors { id } me { subject } }",
                        Map.of()).body("data.me.subject", equalTo(subject));
                GraphQL.post(token, "query($c: ID!) { resources(connectorId: $c) { name } }", Map.of("c", "nope"))
                        .statusCode(200).body("errors[0].extensions.code", equalTo("NOT_FOUND"));
            }
        }
        assertThat(answers.kept() - kept).isZero();
    }

    @Test
    void anAnswerWithAnUpstreamErrorIsNotKeptAndTheNextOneIsFresh() {
        alloy.resetAll();
        alloy.stubFor(get("/connectors").willReturn(aResponse().withStatus(503)));
        String query = "{ connectors { id } } # " + UUID.randomUUID();
        String token = Tokens.of("answers-failing-" + UUID.randomUUID());
        GraphQL.post(token, query, Map.of()).statusCode(200)
                .body("errors[0].extensions.code", startsWith("UPSTREAM"));

        alloy.stubFor(get("/connectors").willReturn(okJson(CONNECTORS)));
        GraphQL.ok(token, query, Map.of()).body("data.connectors[0].id", equalTo("hubspot"));
    }

    @Test
    void aKeptAnswerDoesNotOutliveTheCatalogEntryItWasBuiltFrom() throws InterruptedException {
        String query = "{ connectors { name } } # " + UUID.randomUUID();
        String token = Tokens.of("answers-expiry-" + UUID.randomUUID());
        long asked = System.nanoTime();
        GraphQL.ok(token, query, Map.of()).body("data.connectors[0].name", equalTo("HubSpot"));
        alloy.stubFor(get("/connectors").willReturn(okJson(CONNECTORS.replace("HubSpot", "HubSpot 2"))));
        GraphQL.ok(token, query, Map.of()).body("data.connectors[0].name", equalTo("HubSpot"));

        // The catalog entry was loaded after `asked`, so it and every answer built from it are gone 2 s later;
        // a second of margin for the entry's write after the load.
        long wait = asked + 3_000_000_000L - System.nanoTime();
        Thread.sleep(Math.max(0, wait / 1_000_000));
        GraphQL.ok(token, query, Map.of()).body("data.connectors[0].name", equalTo("HubSpot 2"));
        alloy.verify(2, getRequestedFor(urlEqualTo("/connectors")));
    }

    @Test
    void aKeptAnswerStillNeedsAValidTokenAndTheTenantsRate() {
        String body = body("{ connectors { id } } # " + UUID.randomUUID());
        String token = Tokens.of("answers-checked-" + UUID.randomUUID());
        assertThat(post(token, body, null).statusCode()).isEqualTo(200);
        long hits = answers.hits();

        assertThat(post(null, body, null).statusCode()).isEqualTo(401);
        assertThat(post(token + "x", body, null).statusCode()).isEqualTo(401);
        assertThat(answers.hits()).as("no kept answer for a refused token").isEqualTo(hits);

        // 600 a minute, 60 at once (the defaults): 100 requests at once go past the burst.
        int limited = 0;
        for (int i = 0; i < 100; i++) {
            if (post(token, body, null).statusCode() == 429) {
                limited++;
            }
        }
        assertThat(limited).isPositive();
    }
}
