package com.alloygateway.alloy;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.json.Json;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.alloygateway.testing.AlloyWireMock;
import com.alloygateway.testing.GatewayState;
import com.alloygateway.testing.InjectWireMock;
import com.alloygateway.testing.WireMockAlloyProfile;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The client facade on its own, against WireMock: what each endpoint sends (account headers, and
 * {@code x-alloy-userid} on user-scoped calls only), what it reads back, and the outcome of an execute as a
 * value (attempts, whether it may have run).
 */
@QuarkusTest
@TestProfile(WireMockAlloyProfile.class)
class AlloyClientTest {

    private static final String USER = "65a1f0c2b3d4e5f60718293a";
    private static final String EXECUTE = "/connectors/shippo/actions/createAddress/execute";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @InjectWireMock
    WireMockServer alloy;

    @Inject
    AlloyClient client;

    @Inject
    GatewayState state;

    @BeforeEach
    void fresh() {
        alloy.resetAll();
        state.reset();
    }

    @Test
    void catalogCallsAreAccountWideAndUserCallsCarryTheUser() {
        alloy.stubFor(get("/connectors").willReturn(okJson("""
                {"connectors":[{"id":"hubspot","name":"HubSpot","group":["input"],"category":["crm"]}]}""")));
        alloy.stubFor(get("/connectors/hubspot/credentials").willReturn(okJson("""
                {"credentials":[{"credentialId":"c1","type":"hubspot-oauth2","name":"Mine"}]}""")));

        assertThat(client.connectors().await().atMost(WAIT)).extracting(AlloyConnector::id).containsExactly("hubspot");
        List<AlloyCredential> credentials = client.credentials("hubspot", USER).await().atMost(WAIT);
        assertThat(credentials).extracting(AlloyCredential::credentialId).containsExactly("c1");

        alloy.verify(getRequestedFor(urlEqualTo("/connectors"))
                .withHeader("Authorization", equalTo("Bearer " + AlloyWireMock.API_KEY))
                .withHeader("x-api-version", equalTo("2025-09"))
                .withHeader("x-alloy-userid", absent()));
        alloy.verify(getRequestedFor(urlEqualTo("/connectors/hubspot/credentials"))
                .withHeader("Authorization", equalTo("Bearer " + AlloyWireMock.API_KEY))
                .withHeader("x-alloy-userid", equalTo(USER)));
    }

    @Test
    void aUserScopedCallWithoutAUserIsNeverSent() {
        assertThatThrownBy(() -> client.credentials("hubspot", null)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> client.userCredentials(" ")).isInstanceOf(IllegalStateException.class);
        assertThat(alloy.getAllServeEvents()).isEmpty();
    }

    @Test
    void anExecuteIsAnOutcomeWithItsAttempts() {
        alloy.stubFor(post(EXECUTE).inScenario("limited").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "0"))
                .willSetStateTo("open"));
        alloy.stubFor(post(EXECUTE).inScenario("limited").whenScenarioStateIs("open")
                .willReturn(okJson("""
                        {"responseData":{"object_id":"abc"}}""")));

        CallOutcome outcome = client.execute("shippo", "createAddress", USER,
                Json.createObjectBuilder().add("credentialId", "c1").build(), false).await().atMost(WAIT);

        assertThat(outcome.succeeded()).isTrue();
        assertThat(outcome.attempts()).isEqualTo(2);
        assertThat(outcome.reply().object().getJsonObject("responseData").getString("object_id")).isEqualTo("abc");
        alloy.verify(2, postRequestedFor(urlEqualTo(EXECUTE)).withHeader("x-alloy-userid", equalTo(USER))
                .withRequestBody(equalToJson("""
                        {"credentialId":"c1"}""")));
    }

    @Test
    void aFailedWriteSaysWhetherItMayHaveRun() {
        alloy.stubFor(post(EXECUTE).willReturn(aResponse().withStatus(502).withHeader("Content-Type", "application/json")
                .withBody("""
                        {"error":{"source":"THIRD_PARTY","code":"BAD_GATEWAY","message":"down","details":{"httpStatusCode":503}}}""")));
        CallOutcome write = client.execute("shippo", "createAddress", USER,
                Json.createObjectBuilder().add("credentialId", "c1").build(), false).await().atMost(WAIT);
        assertThat(write.succeeded()).isFalse();
        assertThat(write.attempts()).as("a write that may have run is not sent again").isEqualTo(1);
        assertThat(write.mayHaveRun()).isTrue();
        assertThat(write.nothingRan()).isFalse();
        assertThat(write.failure()).isInstanceOfSatisfying(AlloyHttpException.class, e -> {
            assertThat(e.source()).isEqualTo(AlloyHttpException.Source.THIRD_PARTY);
            assertThat(e.effectiveStatus()).isEqualTo(503);
        });

        alloy.stubFor(post(EXECUTE).willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("""
                        {"code":"INVALID_INPUT","message":"zip is required"}""")));
        CallOutcome refused = client.execute("shippo", "createAddress", USER,
                Json.createObjectBuilder().add("credentialId", "c1").build(), true).await().atMost(WAIT);
        assertThat(refused.mayHaveRun()).isFalse();
        assertThat(refused.attempts()).isEqualTo(1);
        assertThat(refused.failure()).hasMessage("zip is required");
    }
}
