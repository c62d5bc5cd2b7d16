package com.alloygateway.edge;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.alloygateway.sandbox.SandboxJournal;
import com.alloygateway.testing.GraphQL;
import com.alloygateway.testing.TenantClient;
import com.alloygateway.testing.Tokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * The public edge: document limits (graphql-armor's thresholds), the upstream estimate, HTTP as
 * graphql-over-http says, CORS, and tokens that must name a tenant. Each refusal runs no resolver and reaches
 * no upstream: the sandbox's journal stays empty.
 */
@QuarkusTest
class EdgeTest {

    @Inject
    SandboxJournal journal;

    @TestHTTPResource("/graphql")
    URI graphql;

    private TenantClient tenant;

    @BeforeEach
    void aProvisionedTenant() {
        tenant = TenantClient.newTenant("edge");
        tenant.provision();
        journal.clear();
    }

    private void refused(String document, String reason) {
        GraphQL.post(tenant.token, document).statusCode(200)
                .body("data", nullValue())
                .body("errors[0].extensions.code", equalTo("INVALID_INPUT"))
                .body("errors[0].extensions.reason", equalTo(reason));
        assertThat(journal.calls()).as(reason + ": nothing reached Alloy").isEmpty();
    }

    private static String repeat(int times, String each) {
        return IntStream.range(0, times).mapToObj(each::formatted).collect(Collectors.joining(" "));
    }

    @Test
    void documentsBeyondTheLimitsAreRefusedBeforeAnythingRuns() {
        refused("{ " + repeat(16, "a%d: credentials { id }") + " }", "TOO_MANY_ALIASES");
        refused("{ " + repeat(11, "__typename") + " }", "FIELD_REPEATED");
        refused("{ __typename " + repeat(51, "@include(if: true)") + " }", "TOO_MANY_DIRECTIVES");
        // Over 1,000 tokens without an alias or a repeat.
        refused("{ credentials { id } " + repeat(1000, "f%d") + " }", "TOO_MANY_TOKENS");
        refused("{ credentials { id } }" + " ".repeat(15_000), "DOCUMENT_TOO_LARGE");
        refused("{ " + "a { ".repeat(11) + "b" + " }".repeat(11) + " }", "TOO_DEEP");
        refused("{ __schema { types { name } } }", "INTROSPECTION_DISABLED");
        // A type looked up by name says nothing the published SDL does not.
        GraphQL.ok(tenant.token, "{ __type(name: \"Connector\") { name } }", Map.of())
                .body("data.__type.name", equalTo("Connector"));
    }

    @Test
    void theLimitsThemselvesAreAllowed() {
        GraphQL.ok(tenant.token, "{ " + repeat(10, "__typename") + " }", Map.of());
        GraphQL.ok(tenant.token, "{ " + repeat(15, "c%d: connector(id: \"hubspot\") { id }") + " }", Map.of());
        GraphQL.ok(tenant.token, "{ __typename }", Map.of());
    }

    @Test
    void aRequestThatWouldCostMoreUpstreamCallsThanItsBudgetIsRefused() {
        // 26 fragment spreads, each a credentials list: no alias, but 26 calls to Alloy.
        refused("query { " + repeat(26, "...F%d") + " } "
                + repeat(26, "fragment F%1$d on Query { credentials { id } }"), "UPSTREAM_BUDGET");
    }

    @Test
    void anUnparseableDocumentIsInvalidInput() {
        refused("{ me { tenant }", "INVALID_SYNTAX");
    }

    @Test
    void graphqlResponseJsonClientsGet400ForADocumentThatDoesNotParse() {
        given().auth().oauth2(tenant.token).contentType(ContentType.JSON)
                .accept("application/graphql-response+json")
                .body(Map.of("query", "{ me { tenant }"))
                .post("/graphql").then().statusCode(400)
                .contentType(containsString("application/graphql-response+json"))
                .body("errors[0].extensions.code", equalTo("INVALID_INPUT"));
    }

    @Test
    void graphqlResponseJsonClientsGet400ForADocumentThatDoesNotValidate() {
        given().auth().oauth2(tenant.token).contentType(ContentType.JSON)
                .accept("application/graphql-response+json")
                .body(Map.of("query", "{ noSuchField }"))
                .post("/graphql").then().statusCode(400)
                .body("errors[0].extensions.code", equalTo("INVALID_INPUT"));
        // application/json clients keep 200 with errors.
        given().auth().oauth2(tenant.token).contentType(ContentType.JSON).accept(ContentType.JSON)
                .body(Map.of("query", "{ noSuchField }"))
                .post("/graphql").then().statusCode(200)
                .body("errors[0].extensions.code", equalTo("INVALID_INPUT"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/graphql"})
    void onlyJsonBodiesAreExecuted(String contentType) throws Exception {
        // A plain HTTP client: what a cross-site form or a no-preflight fetch would send.
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(graphql)
                .header("Authorization", "Bearer " + tenant.token)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"query":"mutation { createUser { alloyUserId } }"}"""))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(415);
        assertThat(answer.body()).contains("UNSUPPORTED_MEDIA_TYPE");
        assertThat(journal.calls()).isEmpty();
    }

    @Test
    void graphqlPlusJsonIsAccepted() {
        given().auth().oauth2(tenant.token).contentType("application/graphql+json; charset=utf-8")
                .body(Map.of("query", "{ me { provisioned } }"))
                .post("/graphql").then().statusCode(200).body("data.me.provisioned", equalTo(true));
    }

    @Test
    void aBatchIsRefused() {
        given().auth().oauth2(tenant.token).contentType(ContentType.JSON)
                .body(List.of(Map.of("query", "{ me { tenant } }"), Map.of("query", "{ me { tenant } }")))
                .post("/graphql").then().statusCode(400)
                .body("errors[0].extensions.code", equalTo("INVALID_INPUT"))
                .body("errors[0].extensions.reason", equalTo("BATCH_NOT_SUPPORTED"));
    }

    @Test
    void aHashOnlyPersistedQueryAsksForTheDocument() {
        given().auth().oauth2(tenant.token).contentType(ContentType.JSON)
                .body(Map.of("extensions", Map.of("persistedQuery", Map.of("version", 1,
                        "sha256Hash", "ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38"))))
                .post("/graphql").then().statusCode(200)
                .body("errors[0].extensions.code", equalTo("PERSISTED_QUERY_NOT_SUPPORTED"))
                .body("errors[0].message", equalTo("PersistedQueryNotSupported"));
    }

    @Test
    void getCannotRunAMutation() {
        int status = given().auth().oauth2(tenant.token).queryParam("query", "mutation { createUser { alloyUserId } }")
                .get("/graphql").then().extract().statusCode();
        assertThat(status).isEqualTo(405);
        assertThat(journal.calls()).isEmpty();
    }

    @Test
    void aBrowserOnAnAllowedOriginGetsItsPreflightWithoutAToken() {
        given().header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options("/graphql").then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo("https://app.example.com"))
                .header("Access-Control-Allow-Headers", containsString("authorization"));
        given().header("Origin", "https://app.example.com").auth().oauth2(tenant.token).contentType(ContentType.JSON)
                .body(Map.of("query", "{ me { tenant } }")).post("/graphql").then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo("https://app.example.com"))
                .header("Access-Control-Expose-Headers", containsString("X-Request-Id"));
    }

    @Test
    void anotherOriginIsNotAllowed() {
        String allowed = given().header("Origin", "https://evil.example.net")
                .header("Access-Control-Request-Method", "POST")
                .options("/graphql").then().extract().header("Access-Control-Allow-Origin");
        assertThat(allowed).isNull();
    }

    @Test
    void answersAreCompressedForClientsThatAsk() {
        given().auth().oauth2(tenant.token).contentType(ContentType.JSON).header("Accept-Encoding", "gzip")
                .body(Map.of("query", "{ connectors { id name icon groups categories credentialRequirements { inputSchema } } }"))
                .post("/graphql").then().statusCode(200).header("Content-Encoding", equalTo("gzip"))
                .body("data.connectors", notNullValue());
    }

    @Test
    void aTokenWhoseTenancyClaimIsNotAStringIs401() {
        for (Object claim : List.of(true, 42, List.of("a", "b"), "", " ")) {
            String token = Tokens.raw(Map.of("sub", claim));
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("query", "{ me { tenant } }"))
                    .post("/graphql").then().statusCode(401)
                    .header("WWW-Authenticate", containsString("Bearer"));
        }
        String noClaim = Tokens.raw(Map.of("name", "nobody"));
        given().auth().oauth2(noClaim).contentType(ContentType.JSON).body(Map.of("query", "{ me { tenant } }"))
                .post("/graphql").then().statusCode(401);
        String idToken = Tokens.claims("someone").claim("typ", "ID").sign("privateKey.jwk");
        given().auth().oauth2(idToken).contentType(ContentType.JSON).body(Map.of("query", "{ me { tenant } }"))
                .post("/graphql").then().statusCode(401);
        String accessToken = Tokens.claims("someone-" + System.nanoTime()).claim("typ", "Bearer").sign("privateKey.jwk");
        GraphQL.ok(accessToken, "{ me { provisioned } }", Map.of()).body("data.me.provisioned", equalTo(false));
    }
}
