package com.alloygateway.execution;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

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
import com.github.tomakehurst.wiremock.http.Fault;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The retry rules of executeAction under faults, with WireMock in Alloy's place: what reaches Alloy is counted.
 * A key whose first execution is still in flight: {@link InFlightIdempotencyTest}.
 */
@QuarkusTest
@TestProfile(WireMockAlloyProfile.class)
class ExecutionResilienceTest {

    private static final String WRITE = "/connectors/shippo/actions/createAddress/execute";
    private static final String READ = "/connectors/hubspot/actions/listContacts/execute";
    private static final String OK = """
            {"responseData":{"object_id":"abc","is_complete":true}}""";

    @InjectWireMock
    WireMockServer alloy;

    @Inject
    GatewayState state;

    private TenantClient tenant;
    private String userId;

    @BeforeEach
    void aProvisionedTenantWithCredentials() {
        alloy.resetAll();
        state.reset();
        AlloyStubs.everyUserExists(alloy);
        AlloyStubs.shippoAndHubSpotCredentialPerUser(alloy);
        tenant = TenantClient.newTenant("resilience");
        userId = tenant.provision();
    }

    private Map<String, Object> write(String key) {
        Map<String, Object> input = new HashMap<>(Map.of("connectorId", "shippo", "actionId", "createAddress",
                "credentialId", "s" + userId, "requestBody", Map.of("zip", "94117")));
        if (key != null) {
            input.put("idempotencyKey", key);
        }
        return input;
    }

    private Map<String, Object> read() {
        return Map.of("connectorId", "hubspot", "actionId", "listContacts", "credentialId", "h" + userId);
    }


    @Test
    void aWriteIsRetriedOn429AfterRetryAfter() {
        alloy.stubFor(post(WRITE).inScenario("429").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
        alloy.stubFor(post(WRITE).inScenario("429").whenScenarioStateIs("ok").willReturn(okJson(OK)));

        JsonPath result = tenant.execute(write(null));

        assertThat(result.getString("data.executeAction.status")).isEqualTo("SUCCEEDED");
        assertThat(result.getInt("data.executeAction.attempts")).isEqualTo(2);
        assertThat(result.getInt("data.executeAction.durationMs")).isGreaterThanOrEqualTo(900);
        alloy.verify(2, postRequestedFor(urlEqualTo(WRITE)));
    }

    @Test
    void aWriteIsNotRetriedOn5xx() {
        alloy.stubFor(post(WRITE).willReturn(aResponse().withStatus(503)));

        JsonPath result = tenant.execute(write(null));

        assertThat(result.getString("errors[0].extensions.code")).isEqualTo("UPSTREAM_ERROR");
        assertThat(result.getInt("errors[0].extensions.httpStatusCode")).isEqualTo(503);
        assertThat(result.getBoolean("errors[0].extensions.retryable")).isFalse();
        assertThat(result.getString("errors[0].extensions.executionId")).isNotBlank();
        alloy.verify(1, postRequestedFor(urlEqualTo(WRITE)));
        JsonPath log = tenant.post("{ executions { edges { node { status attempts upstreamStatus errorCode } } } }",
                Map.of());
        assertThat(log.getString("data.executions.edges[0].node.status")).isEqualTo("FAILED");
        assertThat(log.getInt("data.executions.edges[0].node.upstreamStatus")).isEqualTo(503);
        assertThat(log.getInt("data.executions.edges[0].node.attempts")).isEqualTo(1);
    }

    @Test
    void aGetActionIsRetriedOn5xx() {
        alloy.stubFor(post(READ).inScenario("503").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("ok"));
        alloy.stubFor(post(READ).inScenario("503").whenScenarioStateIs("ok")
                .willReturn(okJson("""
                        {"responseData":{"results":[]}}""")));

        JsonPath result = tenant.execute(read());

        assertThat(result.getString("data.executeAction.status")).isEqualTo("SUCCEEDED");
        assertThat(result.getInt("data.executeAction.attempts")).isEqualTo(2);
        alloy.verify(2, postRequestedFor(urlEqualTo(READ)));
    }

    @Test
    void aTimeoutAfterSendingIsUnknownAndNotRetried() {
        alloy.stubFor(post(WRITE).willReturn(okJson(OK).withFixedDelay(1500)));

        JsonPath result = tenant.execute(write(null));

        assertThat(result.getString("errors[0].extensions.code")).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(result.getString("errors[0].extensions.reason")).isEqualTo("TIMEOUT");
        assertThat(result.getBoolean("errors[0].extensions.retryable")).isFalse();
        alloy.verify(1, postRequestedFor(urlEqualTo(WRITE)));
        JsonPath unknown = tenant.post("{ executions(status: UNKNOWN) { edges { node { id } } } }", Map.of());
        assertThat(unknown.getList("data.executions.edges.node.id"))
                .containsExactly(result.getString("errors[0].extensions.executionId"));
    }

    @Test
    void aBrokenConnectionOnAWriteIsUnknownAndNotRetried() {
        alloy.stubFor(post(WRITE).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        JsonPath result = tenant.execute(write(null));

        assertThat(result.getString("errors[0].extensions.code")).isEqualTo("UPSTREAM_UNAVAILABLE");
        alloy.verify(1, postRequestedFor(urlEqualTo(WRITE)));
    }

    @Test
    void aRateLimitPastTheDeadlineIsReportedAndTheKeyCanBeUsedAgain() {
        alloy.stubFor(post(WRITE).inScenario("long").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")).willSetStateTo("ok"));
        alloy.stubFor(post(WRITE).inScenario("long").whenScenarioStateIs("ok").willReturn(okJson(OK)));

        JsonPath limited = tenant.execute(write("retry-me"));
        assertThat(limited.getString("errors[0].extensions.code")).isEqualTo("RATE_LIMITED");
        assertThat(limited.getInt("errors[0].extensions.retryAfterSeconds")).isEqualTo(120);
        assertThat(limited.getBoolean("errors[0].extensions.retryable")).isTrue();

        // Nothing ran, so the key was released: the client may try again with it.
        assertThat(tenant.execute(write("retry-me")).getString("data.executeAction.status")).isEqualTo("SUCCEEDED");
        alloy.verify(2, postRequestedFor(urlEqualTo(WRITE)));
    }

    @Test
    void theThirdPartysPayloadIsReadFromResponseDataElseResultElseTheWholeAnswer() {
        alloy.stubFor(post(WRITE).inScenario("forms").whenScenarioStateIs(STARTED)
                .willReturn(okJson("""
                        {"result":{"id":1}}""")).willSetStateTo("bare"));
        alloy.stubFor(post(WRITE).inScenario("forms").whenScenarioStateIs("bare")
                .willReturn(okJson("""
                        {"id":2,"ok":true}""")));

        assertThat(tenant.execute(write(null)).getMap("data.executeAction.responseData")).isEqualTo(Map.of("id", 1));
        assertThat(tenant.execute(write(null)).getMap("data.executeAction.responseData"))
                .isEqualTo(Map.of("id", 2, "ok", true));
    }
}
