package com.alloygateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.alloygateway.sandbox.SandboxJournal;
import com.alloygateway.testing.GraphQL;
import com.alloygateway.testing.TenantClient;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * Per-tenant fairness and the per-request upstream budget, with tight limits: a tenant over its rate gets
 * 429 + RATE_LIMITED (and nothing runs) while another tenant is served; a request stops issuing upstream calls
 * at its budget.
 */
@QuarkusTest
@TestProfile(TenantLimitsTest.TightLimits.class)
class TenantLimitsTest {

    /** Five requests at once, then one a second; three upstream calls per request. */
    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gateway.limits.requests-per-minute", "60",
                    "gateway.limits.burst", "5",
                    "gateway.limits.upstream-calls-per-request", "3");
        }
    }

    @Inject
    SandboxJournal journal;

    private static ExtractableResponse<Response> ask(TenantClient who, String query) {
        return GraphQL.post(who.token, query, Map.of()).extract();
    }

    @Test
    void aTenantOverItsRateIsRefusedWhileAnotherIsServed() throws Exception {
        TenantClient noisy = TenantClient.newTenant("noisy");
        TenantClient quiet = TenantClient.newTenant("quiet");
        List<Integer> noisyStatuses = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ExtractableResponse<Response>>> flood = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                flood.add(pool.submit(() -> ask(noisy, "{ me { provisioned } }")));
            }
            // Meanwhile the quiet tenant's requests are all served.
            for (int i = 0; i < 5; i++) {
                ExtractableResponse<Response> served = ask(quiet, "{ me { provisioned } }");
                assertThat(served.statusCode()).isEqualTo(200);
                assertThat(served.<Boolean> path("data.me.provisioned")).isFalse();
            }
            for (Future<ExtractableResponse<Response>> f : flood) {
                ExtractableResponse<Response> r = f.get();
                noisyStatuses.add(r.statusCode());
                if (r.statusCode() == 429) {
                    assertThat(r.<String> path("errors[0].extensions.code")).isEqualTo("RATE_LIMITED");
                    assertThat(r.<Integer> path("errors[0].extensions.retryAfterSeconds")).isPositive();
                    assertThat(r.header("Retry-After")).isNotNull();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        // The burst of five (and what refilled meanwhile, one a second) served; the rest refused.
        assertThat(noisyStatuses.stream().filter(s -> s == 200).count()).isBetween(5L, 10L);
        assertThat(noisyStatuses.stream().filter(s -> s == 429).count()).isGreaterThanOrEqualTo(30L);
    }

    @Test
    void aRequestStopsCallingUpstreamAtItsBudget() {
        TenantClient tree = TenantClient.newTenant("tree");
        journal.clear();
        // Estimated at two calls; a cold catalog needs one for the list and one per connector (six). Calls
        // past the budget are never sent, and the batch fails fast, so one to three reach Alloy.
        ExtractableResponse<Response> answer = ask(tree, "{ connectors { id resources { name } } }");
        assertThat(journal.calls()).as(answer.asString()).hasSizeBetween(1, 3)
                .first().satisfies(call -> assertThat(call.path()).endsWith("/connectors"));
        assertThat(answer.<List<String>> path("errors.extensions.reason")).contains("UPSTREAM_BUDGET");
        assertThat(answer.<List<String>> path("errors.extensions.code")).containsOnly("INVALID_INPUT");
    }
}
