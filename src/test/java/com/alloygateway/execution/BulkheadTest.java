package com.alloygateway.execution;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.alloygateway.testing.AlloyStubs;
import com.alloygateway.testing.GatewayState;
import com.alloygateway.testing.HeldCalls;
import com.alloygateway.testing.HeldCalls.Held;
import com.alloygateway.testing.InjectWireMock;
import com.alloygateway.testing.TenantClient;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** The replica's bulkhead: with one call to Alloy in flight allowed, a second waits and is never sent beyond it. */
@QuarkusTest
@TestProfile(BulkheadTest.OneCallAtATime.class)
class BulkheadTest {

    /** A patient Alloy (held calls never time out) and room for one call in flight. */
    public static class OneCallAtATime extends InFlightIdempotencyTest.PatientAlloy {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("alloy.max-concurrent-calls", "1");
            config.put("gateway.limits.concurrent-upstream-per-tenant", "1");
            return config;
        }
    }

    private static final String WRITE = "/connectors/shippo/actions/createAddress/execute";
    private static final String CREDENTIALS = "{ credentials(connectorId: \"shippo\") { id } }";

    @InjectWireMock
    WireMockServer alloy;

    @Inject
    GatewayState state;

    @Test
    void aCallBeyondTheBulkheadIsNotSentAndTheNextOneIsOnceASlotIsFree() throws Exception {
        alloy.resetAll();
        state.reset();
        AlloyStubs.everyUserExists(alloy);
        AlloyStubs.shippoCredentialPerUser(alloy);
        alloy.stubFor(post(WRITE).willReturn(okJson("""
                {"responseData":{"object_id":"abc"}}""")));
        TenantClient a = TenantClient.newTenant("bulkhead-a");
        String userA = a.provision();
        TenantClient b = TenantClient.newTenant("bulkhead-b");
        b.provision();
        state.reset();
        alloy.resetRequests();

        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Held atAlloy = HeldCalls.hold(WRITE)) {
            Future<JsonPath> first = pool.submit(() -> a.execute(Map.of("connectorId", "shippo",
                    "actionId", "createAddress", "credentialId", "s" + userA, "requestBody", Map.of("zip", "1"))));
            atAlloy.awaitArrived();
            // The only slot is taken by tenant A's call: B's credentials read waits, retried, and is never sent.
            JsonPath held = b.post(CREDENTIALS, Map.of());
            assertThat(held.getString("errors[0].extensions.code")).isEqualTo("UPSTREAM_UNAVAILABLE");
            assertThat(held.getString("errors[0].extensions.reason")).isEqualTo("OVERLOADED");
            // A's own ownership check was the only credentials read that reached Alloy.
            alloy.verify(1, getRequestedFor(urlEqualTo("/connectors/shippo/credentials")));
            atAlloy.release();
            assertThat(first.get(20, TimeUnit.SECONDS).getString("data.executeAction.status")).isEqualTo("SUCCEEDED");
        } finally {
            pool.shutdownNow();
        }
        assertThat(b.post(CREDENTIALS, Map.of()).getList("data.credentials.id")).hasSize(1);
    }
}
