package com.alloygateway.execution;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.alloygateway.testing.AlloyStubs;
import com.alloygateway.testing.GatewayState;
import com.alloygateway.testing.InjectWireMock;
import com.alloygateway.testing.TenantClient;
import com.alloygateway.testing.WireMockAlloyProfile;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * One tenant's trouble stays its own: a tenant's failing third party opens only that tenant's breaker for the
 * connector (never the account-wide one), Alloy's own failures pause everyone, and answers and inputs too large
 * are refused whole, with nothing half-stored. Breaker scopes are read from the metrics, as an operator would.
 */
@QuarkusTest
@TestProfile(WireMockAlloyProfile.class)
class BlastRadiusTest {

    private static final String READ = "/connectors/hubspot/actions/listContacts/execute";
    private static final String WRITE = "/connectors/shippo/actions/createAddress/execute";
    private static final String THIRD_PARTY_DOWN = """
            {"error":{"source":"THIRD_PARTY","code":"UPSTREAM_ERROR","message":"HubSpot answered 502",
             "details":{"httpStatusCode":502}}}""";

    @InjectWireMock
    WireMockServer alloy;

    @Inject
    GatewayState state;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    private TenantClient a;
    private String userA;
    private TenantClient b;
    private String userB;

    @BeforeEach
    void twoTenantsWithCredentials() {
        alloy.resetAll();
        state.reset();
        AlloyStubs.everyUserExists(alloy);
        AlloyStubs.shippoAndHubSpotCredentialPerUser(alloy);
        alloy.stubFor(post(READ).willReturn(okJson("""
                {"responseData":{"results":[]}}""")));
        a = TenantClient.newTenant("radius-a");
        userA = a.provision();
        b = TenantClient.newTenant("radius-b");
        userB = b.provision();
    }

    private static Map<String, Object> read(String userId) {
        return Map.of("connectorId", "hubspot", "actionId", "listContacts", "credentialId", "h" + userId);
    }

    private static Map<String, Object> write(String userId, String key, Object body) {
        Map<String, Object> input = new HashMap<>(Map.of("connectorId", "shippo", "actionId", "createAddress",
                "credentialId", "s" + userId, "requestBody", body));
        if (key != null) {
            input.put("idempotencyKey", key);
        }
        return input;
    }

    private String metrics() {
        String base = management.getProtocol() + "://" + management.getHost() + ":" + management.getPort();
        return given().get(base + "/q/metrics").then().statusCode(200).extract().asString();
    }

    @Test
    void aTenantsFailingThirdPartyOpensOnlyThatTenantsBreakerForTheConnector() {
        alloy.stubFor(post(READ).withHeader("x-alloy-userid", equalTo(userA))
                .willReturn(aResponse().withStatus(502).withHeader("Content-Type", "application/json")
                        .withBody(THIRD_PARTY_DOWN)));

        // Two reads of four attempts each fill the breaker's window (8) with failures.
        for (int i = 0; i < 2; i++) {
            assertThat(a.execute(read(userA)).getString("errors[0].extensions.code")).isEqualTo("UPSTREAM_ERROR");
        }
        alloy.verify(8, postRequestedFor(urlEqualTo(READ)).withHeader("x-alloy-userid", equalTo(userA)));
        JsonPath paused = a.execute(read(userA));
        assertThat(paused.getString("errors[0].extensions.code")).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(paused.getString("errors[0].extensions.reason")).isEqualTo("BREAKER_OPEN");
        alloy.verify(8, postRequestedFor(urlEqualTo(READ)).withHeader("x-alloy-userid", equalTo(userA)));

        // Tenant B, same connector, same action: unaffected. So are the catalog and credentials.
        assertThat(b.execute(read(userB)).getString("data.executeAction.status")).isEqualTo("SUCCEEDED");
        assertThat(b.post("{ connectors { id } }", Map.of()).getList("data.connectors.id")).contains("hubspot");
        assertThat(b.post("query($c: ID!) { credentials(connectorId: $c) { id } }", Map.of("c", "shippo"))
                .getList("data.credentials.id")).containsExactly("s" + userB);

        String metrics = metrics();
        assertThat(metrics)
                .containsPattern("alloy_client_breaker_state\\{connector=\"hubspot\",scope=\"execute\"} 2\\.0")
                .containsPattern("alloy_client_breaker_state\\{connector=\"\\*\",scope=\"account\"} 0\\.0")
                .containsPattern("alloy_client_breakers_open\\{connector=\"hubspot\"} 1\\.0");
    }

    @Test
    void alloysOwnFailuresOpenTheAccountBreakerAndHoldExecutesBack() {
        assertThat(b.execute(read(userB)).getString("data.executeAction.status")).isEqualTo("SUCCEEDED");
        alloy.resetRequests();
        alloy.stubFor(get("/connectors").willReturn(aResponse().withStatus(503)));
        state.reset();
        for (int i = 0; i < 2; i++) {
            assertThat(a.post("{ connectors { id } }", Map.of()).getString("errors[0].extensions.code"))
                    .isEqualTo("UPSTREAM_ERROR");
        }
        alloy.verify(8, getRequestedFor(urlEqualTo("/connectors")));

        JsonPath held = b.execute(read(userB));
        assertThat(held.getString("errors[0].extensions.reason")).isEqualTo("BREAKER_OPEN");
        alloy.verify(0, postRequestedFor(urlEqualTo(READ)));
        assertThat(metrics()).containsPattern(
                "alloy_client_breaker_state\\{connector=\"\\*\",scope=\"account\"} 2\\.0");
    }

    @Test
    void anAnswerOverTheLimitIsCutOffWhileItStreamsAndRecordedAsFailed() {
        // 1.5 MiB, chunked (no Content-Length): cut off at the profile's 1 MiB as it arrives (ProdJarIT: 50 MB
        // against the default 8 MiB, announced by Content-Length).
        String huge = "{\"responseData\":\"" + "x".repeat(1536 * 1024) + "\"}";
        alloy.stubFor(post(WRITE).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(huge).withChunkedDribbleDelay(4, 20)));

        JsonPath first = a.execute(write(userA, "big-1", Map.of("zip", "94117")));
        assertThat(first.getMap("errors[0].extensions")).containsEntry("code", "UPSTREAM_ERROR")
                .containsEntry("reason", "RESPONSE_TOO_LARGE").containsEntry("retryable", false);
        String executionId = first.getString("errors[0].extensions.executionId");
        assertThat(a.post("query($id: ID!) { execution(id: $id) { status upstreamStatus errorCode } }",
                Map.of("id", executionId)).getMap("data.execution"))
                .containsEntry("status", "FAILED").containsEntry("upstreamStatus", 200)
                .containsEntry("errorCode", "UPSTREAM_ERROR");

        // The key remembers the failure; nothing was stored half.
        JsonPath replay = a.execute(write(userA, "big-1", Map.of("zip", "94117")));
        assertThat(replay.getString("errors[0].extensions.code")).isEqualTo("UPSTREAM_ERROR");
        assertThat(replay.getBoolean("errors[0].extensions.replayed")).isTrue();
        alloy.verify(1, postRequestedFor(urlEqualTo(WRITE)));

        // The gateway goes on.
        alloy.stubFor(post(WRITE).willReturn(okJson("""
                {"responseData":{"object_id":"small"}}""")));
        assertThat(a.execute(write(userA, null, Map.of("zip", "94117"))).getString("data.executeAction.status"))
                .isEqualTo("SUCCEEDED");
    }

    @Test
    void anAnswerTooLargeToKeepReplaysAsSucceededWithItsPayloadOmitted() {
        String payload = "y".repeat(300 * 1024);
        alloy.stubFor(post(WRITE).willReturn(okJson("{\"responseData\":{\"label\":\"" + payload + "\"}}")));

        JsonPath first = a.execute(write(userA, "large-1", Map.of("zip", "94117")));
        assertThat(first.getString("data.executeAction.status")).isEqualTo("SUCCEEDED");
        assertThat(first.getString("data.executeAction.responseData.label")).hasSize(payload.length());

        JsonPath replay = a.post("""
                mutation($i: ExecuteActionInput!) {
                  executeAction(input: $i) { id status responseData responseOmitted }
                }""", Map.of("i", write(userA, "large-1", Map.of("zip", "94117"))));
        assertThat(replay.getString("data.executeAction.status")).isEqualTo("SUCCEEDED");
        assertThat(replay.getString("data.executeAction.id")).isEqualTo(first.getString("data.executeAction.id"));
        assertThat(replay.getBoolean("data.executeAction.responseOmitted")).isTrue();
        assertThat((Object) replay.get("data.executeAction.responseData")).isNull();
        alloy.verify(1, postRequestedFor(urlEqualTo(WRITE)));
    }

    @Test
    void aJsonInputOverItsCapIsRefusedBeforeAnyCall() {
        JsonPath refused = a.execute(write(userA, null, Map.of("zip", "94117", "note", "z".repeat(257 * 1024))));

        assertThat(refused.getString("errors[0].extensions.code")).isEqualTo("INVALID_INPUT");
        assertThat(refused.getString("errors[0].extensions.violations[0].path")).isEqualTo("/input/requestBody");
        alloy.verify(0, postRequestedFor(urlEqualTo(WRITE)));
    }
}
