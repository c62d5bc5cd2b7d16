package com.alloygateway.tenancy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.alloygateway.testing.GatewayState;
import com.alloygateway.testing.GraphQL;
import com.alloygateway.testing.InjectWireMock;
import com.alloygateway.testing.TenantClient;
import com.alloygateway.testing.Tokens;
import com.alloygateway.testing.WireMockAlloyProfile;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** createUser when Alloy's answer is lost or someone else got there first: still one Alloy user. */
@QuarkusTest
@TestProfile(WireMockAlloyProfile.class)
class CreateUserRecoveryTest {

    /** A fresh Alloy user id per test: the database outlives test classes and the id is unique in it. */
    private String userId;

    @InjectWireMock
    WireMockServer alloy;

    @Inject
    GatewayState state;

    @BeforeEach
    void reset() {
        userId = UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        alloy.resetAll();
        state.reset();
    }

    @Test
    void aRetryAfterALostAnswerFindsTheUserAlloyAlreadyMade() {
        TenantClient tenant = TenantClient.newTenant("lost-answer");
        String username = "gw-" + new Tenant(Tokens.ISSUER, tenant.subject).id();
        String userPath = "/users/" + username;
        alloy.stubFor(get(userPath).inScenario("lost").whenScenarioStateIs(STARTED).willReturn(notFound()));
        // Alloy makes the user, but the answer comes after the gateway stopped waiting.
        alloy.stubFor(post("/users").inScenario("lost").whenScenarioStateIs(STARTED)
                .withRequestBody(equalToJson("""
                        {"username":"%s"}""".formatted(username)))
                .willReturn(okJson("""
                        {"userId":"%s"}""".formatted(userId)).withFixedDelay(1500))
                .willSetStateTo("created"));
        alloy.stubFor(get(userPath).inScenario("lost").whenScenarioStateIs("created")
                .willReturn(okJson("""
                        {"userId":"%s","username":"%s"}""".formatted(userId, username))));

        GraphQL.post(tenant.token, "mutation { createUser { provisioned } }")
                .body("errors[0].extensions.code", equalTo("UPSTREAM_UNAVAILABLE"));
        GraphQL.ok(tenant.token, "{ me { provisioned } }", Map.of()).body("data.me.provisioned", equalTo(false));

        GraphQL.ok(tenant.token, "mutation { createUser { provisioned alloyUserId } }", Map.of())
                .body("data.createUser.alloyUserId", equalTo(userId));

        // A write that may have happened is never sent twice.
        alloy.verify(1, postRequestedFor(urlEqualTo("/users")));
        alloy.verify(2, getRequestedFor(urlEqualTo(userPath)));
    }

    /** No status is documented for a taken username: a 409 in the flat form, or a 400 in the envelope. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "409|{\"code\":\"USER_ALREADY_EXISTS\",\"message\":\"taken\"}",
            "400|{\"error\":{\"source\":\"CONNECTIVITY_API\",\"code\":\"INVALID_INPUT\",\"message\":\"username already exists\"}}" })
    void aUsernameTakenMeanwhileIsFoundAndAdopted(int status, String answer) {
        TenantClient tenant = TenantClient.newTenant("race");
        String username = "gw-" + new Tenant(Tokens.ISSUER, tenant.subject).id();
        String userPath = "/users/" + username;
        alloy.stubFor(get(userPath).inScenario("race").whenScenarioStateIs(STARTED).willReturn(notFound())
                .willSetStateTo("taken"));
        alloy.stubFor(post("/users").willReturn(aResponse().withStatus(status).withHeader("Content-Type",
                "application/json").withBody(answer)));
        alloy.stubFor(get(userPath).inScenario("race").whenScenarioStateIs("taken")
                .willReturn(okJson("""
                        {"userId":"%s"}""".formatted(userId))));

        GraphQL.ok(tenant.token, "mutation { createUser { alloyUserId } }", Map.of())
                .body("data.createUser.alloyUserId", equalTo(userId));
        alloy.verify(1, postRequestedFor(urlEqualTo("/users")));
    }

    @Test
    void aBadInputThatIsNotATakenUsernameIsPassedOnAndProvisionsNothing() {
        TenantClient tenant = TenantClient.newTenant("bad-input");
        String userPath = "/users/gw-" + new Tenant(Tokens.ISSUER, tenant.subject).id();
        alloy.stubFor(get(userPath).willReturn(notFound()));
        alloy.stubFor(post("/users").willReturn(aResponse().withStatus(400).withHeader("Content-Type",
                "application/json").withBody("""
                        {"error":{"source":"CONNECTIVITY_API","code":"INVALID_INPUT","message":"fullName is too long"}}""")));

        GraphQL.post(tenant.token, "mutation { createUser { alloyUserId } }")
                .body("errors[0].extensions.code", equalTo("UPSTREAM_ERROR"))
                .body("errors[0].extensions.httpStatusCode", equalTo(400))
                .body("errors[0].extensions.upstreamCode", equalTo("INVALID_INPUT"))
                .body("errors[0].message", equalTo("fullName is too long"));
        GraphQL.ok(tenant.token, "{ me { provisioned } }", Map.of()).body("data.me.provisioned", equalTo(false));
        // Looked up before the create and once after its 400; created once.
        alloy.verify(1, postRequestedFor(urlEqualTo("/users")));
        alloy.verify(2, getRequestedFor(urlEqualTo(userPath)));
    }

    @Test
    void tenConcurrentCallsWhileAlloyIsSlowMakeOneUserAndAllGetIt() throws Exception {
        TenantClient tenant = TenantClient.newTenant("slow-alloy");
        String userPath = "/users/gw-" + new Tenant(Tokens.ISSUER, tenant.subject).id();
        // Alloy has no such user until the one POST made it; each answer takes a while.
        alloy.stubFor(get(userPath).inScenario("slow").whenScenarioStateIs(STARTED)
                .willReturn(notFound().withFixedDelay(150)));
        alloy.stubFor(post("/users").inScenario("slow").whenScenarioStateIs(STARTED)
                .willReturn(okJson("""
                        {"userId":"%s"}""".formatted(userId)).withFixedDelay(150))
                .willSetStateTo("made"));
        alloy.stubFor(get(userPath).inScenario("slow").whenScenarioStateIs("made").willReturn(okJson("""
                {"userId":"%s"}""".formatted(userId))));
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                calls.add(pool.submit(() -> GraphQL.ok(tenant.token, "mutation { createUser { alloyUserId } }",
                        Map.of()).extract().<String> path("data.createUser.alloyUserId")));
            }
            for (Future<String> call : calls) {
                assertThat(call.get()).isEqualTo(userId);
            }
        } finally {
            pool.shutdownNow();
        }
        // One claimant asked Alloy; the others waited for it without asking.
        alloy.verify(1, postRequestedFor(urlEqualTo("/users")));
        alloy.verify(1, getRequestedFor(urlEqualTo(userPath)));
    }
}
