package com.alloygateway.execution;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.alloygateway.testing.AlloyStubs;
import com.alloygateway.testing.GatewayState;
import com.alloygateway.testing.HeldCalls;
import com.alloygateway.testing.HeldCalls.Held;
import com.alloygateway.testing.InjectWireMock;
import com.alloygateway.testing.TenantClient;
import com.alloygateway.testing.WireMockAlloyProfile;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * One idempotency key while its first execution is in flight, with WireMock in Alloy's place: the call to
 * Alloy is held until the test lets it go ({@link HeldCalls}), so the other requests are certainly decided
 * while it is in flight, and never after it finished. No fixed delay, and no race against a timeout.
 */
@QuarkusTest
@TestProfile(InFlightIdempotencyTest.PatientAlloy.class)
class InFlightIdempotencyTest {

    /**
     * {@link WireMockAlloyProfile} with an attempt timeout far above any hold, so a held call cannot time out
     * however slow the requests around it are. Under the profile's own 400 ms the test would race it again:
     * three repeats to a loaded gateway were measured taking from 70 to over 400 ms. Bounding the hold
     * instead (say at 300 ms) would bring back the race with the first call's answer.
     */
    public static class PatientAlloy extends WireMockAlloyProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("alloy.attempt-timeout", "20s");
            config.put("alloy.request-deadline", "20s");
            return config;
        }
    }

    private static final String WRITE = "/connectors/shippo/actions/createAddress/execute";
    private static final String OK = """
            {"responseData":{"object_id":"abc","is_complete":true}}""";

    @InjectWireMock
    WireMockServer alloy;

    @Inject
    GatewayState state;

    private TenantClient tenant;
    private String userId;

    @BeforeEach
    void aProvisionedTenantWithAShippoCredential() {
        alloy.resetAll();
        state.reset();
        AlloyStubs.everyUserExists(alloy);
        alloy.stubFor(get("/connectors").willReturn(okJson("""
                {"connectors":[{"id":"shippo","name":"Shippo"}]}""")));
        AlloyStubs.shippoCreateAddress(alloy);
        // "s" + the user id: one credential per user.
        alloy.stubFor(get("/connectors/shippo/credentials").willReturn(okJson("""
                {"credentials":[{"credentialId":"s{{request.headers.x-alloy-userid}}","type":"shippo-apiKey"}]}""")
                .withTransformers("response-template")));
        alloy.stubFor(post(WRITE).willReturn(okJson(OK)));
        tenant = TenantClient.newTenant("in-flight");
        userId = tenant.provision();
    }

    private Map<String, Object> write(String key) {
        return Map.of("connectorId", "shippo", "actionId", "createAddress", "credentialId", "s" + userId,
                "requestBody", Map.of("zip", "94117"), "idempotencyKey", key);
    }

    @Test
    void aRepeatWhileTheFirstIsInFlightIsAConflictAndNeverASecondCall() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Held atAlloy = HeldCalls.hold(WRITE)) {
            Future<JsonPath> first = pool.submit(() -> tenant.execute(write("same-key")));
            atAlloy.awaitArrived();
            List<Future<JsonPath>> repeats = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                repeats.add(pool.submit(() -> tenant.execute(write("same-key"))));
            }
            for (Future<JsonPath> repeat : repeats) {
                assertThat(repeat.get(10, TimeUnit.SECONDS).getString("errors[0].extensions.code"))
                        .isEqualTo("IDEMPOTENCY_CONFLICT");
            }
            assertThat(first.isDone()).as("the first answered while held at Alloy").isFalse();
            atAlloy.release();
            assertThat(first.get(10, TimeUnit.SECONDS).getString("data.executeAction.status")).isEqualTo("SUCCEEDED");
            assertThat(atAlloy.arrivals()).as("calls that reached Alloy").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        alloy.verify(1, postRequestedFor(urlEqualTo(WRITE)));
        // Once done, a repeat is answered from the record.
        assertThat(tenant.execute(write("same-key")).getString("data.executeAction.status")).isEqualTo("SUCCEEDED");
        alloy.verify(1, postRequestedFor(urlEqualTo(WRITE)));
    }

    @Test
    void concurrentFirstRequestsWithOneKeyMakeOneCall() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<JsonPath> results = new ArrayList<>();
        try (Held atAlloy = HeldCalls.hold(WRITE)) {
            List<Future<JsonPath>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(pool.submit(() -> tenant.execute(write("race-key"))));
            }
            // One of them won the key and is at Alloy; the other three are decided before it may answer.
            atAlloy.awaitArrived();
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> calls.stream().filter(Future::isDone).count() == 3);
            atAlloy.release();
            for (Future<JsonPath> call : calls) {
                results.add(call.get(10, TimeUnit.SECONDS));
            }
            assertThat(atAlloy.arrivals()).as("calls that reached Alloy").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        // The winner ran; every loser, decided while the winner was in flight, is told so.
        assertThat(results).filteredOn(r -> r.getString("errors") == null).singleElement()
                .satisfies(r -> assertThat(r.getString("data.executeAction.status")).isEqualTo("SUCCEEDED"));
        assertThat(results).filteredOn(r -> r.getString("errors") != null)
                .hasSize(3)
                .allSatisfy(r -> assertThat(r.getString("errors[0].extensions.code")).isEqualTo("IDEMPOTENCY_CONFLICT"));
        alloy.verify(1, postRequestedFor(urlEqualTo(WRITE)));
    }
}
