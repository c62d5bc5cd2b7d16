package com.alloygateway;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.alloygateway.testing.AlloyWireMock;
import com.alloygateway.testing.FreeManagementPort;
import com.alloygateway.testing.InjectWireMock;
import com.alloygateway.testing.Tokens;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * The packaged gateway (the prod jar, or the native binary with {@code -Dnative}) end to end, with WireMock in
 * Alloy's place: a tenant is provisioned, lists its credential, executes idempotently and pages its log; the
 * sandbox is not there.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = AlloyWireMock.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FreeManagementPort.class, restrictToAnnotatedClass = true)
class GatewayIT {

    private static final String USER_ID = "75b2e1d3c4a5f60718293a4b";
    private static final String CREDENTIAL_ID = "6895a1b2c3d4e5f601234567";
    private static final String EXECUTE = """
            mutation($i: ExecuteActionInput!) { executeAction(input: $i) { id status responseData } }
            """;

    @InjectWireMock
    WireMockServer alloy;

    @Test
    void aTenantIsProvisionedListsItsCredentialAndExecutesIdempotently() {
        alloy.stubFor(get("/connectors").willReturn(okJson("""
                {"connectors":[{"id":"hubspot","name":"HubSpot","group":["input"],"category":["crm"]},
                               {"id":"shippo","name":"Shippo","group":["output"],"category":["shipping"]}]}""")));
        alloy.stubFor(get(urlPathMatching("/users/gw-[0-9a-f]+")).willReturn(okJson("""
                {"userId":"%s"}""".formatted(USER_ID))));
        alloy.stubFor(get("/connectors/shippo/credentials").withHeader("x-alloy-userid", equalTo(USER_ID))
                .willReturn(okJson("""
                        {"credentials":[{"credentialId":"%s","type":"shippo-apiKey"}]}""".formatted(CREDENTIAL_ID))));
        alloy.stubFor(get("/connectors/shippo/actions/createAddress").willReturn(okJson("""
                {"action":{"id":"createAddress","displayName":"Create an address","httpMethod":"post",
                 "path":"/addresses","parameters":[],"requestBody":{"type":"object","required":["zip"]}}}""")));
        alloy.stubFor(post("/connectors/shippo/actions/createAddress/execute").willReturn(okJson("""
                {"responseData":{"object_id":"abc"}}""")));
        String token = Tokens.of("it-" + System.nanoTime());

        given().contentType(ContentType.JSON).body(Map.of("query", "{ connectors { id } }"))
                .post("/graphql").then().statusCode(401);
        ok(token, "{ connectors { id name } }", Map.of()).body("data.connectors.id", is(List.of("hubspot", "shippo")));
        ok(token, "mutation { createUser { alloyUserId } }", Map.of())
                .body("data.createUser.alloyUserId", is(USER_ID));
        ok(token, "query($c: ID) { credentials(connectorId: $c) { id connectorId } }", Map.of("c", "shippo"))
                .body("data.credentials[0].id", is(CREDENTIAL_ID));

        Map<String, Object> input = Map.of("connectorId", "shippo", "actionId", "createAddress",
                "credentialId", CREDENTIAL_ID, "requestBody", Map.of("zip", "94117"), "idempotencyKey", "it-1");
        String executionId = ok(token, EXECUTE, Map.of("i", input))
                .body("data.executeAction.status", is("SUCCEEDED"))
                .body("data.executeAction.responseData.object_id", is("abc"))
                .extract().path("data.executeAction.id");
        ok(token, EXECUTE, Map.of("i", input)).body("data.executeAction.id", is(executionId));
        ok(token, "{ executions { edges { node { id status } } pageInfo { hasNextPage } } }", Map.of())
                .body("data.executions.edges.node.id", is(List.of(executionId)))
                .body("data.executions.pageInfo.hasNextPage", is(false));
        alloy.verify(1, postRequestedFor(urlEqualTo("/connectors/shippo/actions/createAddress/execute"))
                .withHeader("x-alloy-userid", equalTo(USER_ID))
                .withRequestBody(matchingJsonPath("$.credentialId", equalTo(CREDENTIAL_ID))));

        // The embedded sandbox exists in dev and test builds only.
        given().get("/alloy-sandbox/connectors").then().statusCode(404);
    }

    private static ValidatableResponse ok(String token, String query, Map<String, Object> variables) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("query", query, "variables", variables))
                .post("/graphql").then().statusCode(200).body("errors", nullValue());
    }
}
