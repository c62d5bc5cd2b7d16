package com.alloygateway.alloy;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.alloygateway.testing.AlloyWireMock;
import com.alloygateway.testing.GatewayState;
import com.alloygateway.testing.GraphQL;
import com.alloygateway.testing.InjectWireMock;
import com.alloygateway.testing.Tokens;
import com.alloygateway.testing.WireMockAlloyProfile;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;

/** The Alloy client's contract with Alloy, against WireMock: headers, both answer forms, retries, breaker, cache. */
@QuarkusTest
@TestProfile(WireMockAlloyProfile.class)
class AlloyResilienceTest {

    private static final String CONNECTORS = """
            {"connectors":[
              {"id":"hubspot","name":"HubSpot","icon":"https://cdn.example/hubspot.png","group":["input"],"category":["crm"]},
              {"id":"slack","name":"Slack","group":["output"],"category":["communication"]}
            ]}""";
    private static final String QUERY = "query { connectors { id name } }";
    private static final String RESOURCES = "query($c: ID!) { resources(connectorId: $c) { name } }";

    @InjectWireMock
    WireMockServer alloy;

    @Inject
    GatewayState state;

    private final String token = Tokens.of("resilience-tester");

    @BeforeEach
    void reset() {
        alloy.resetAll();
        state.reset();
    }

    @Test
    void sendsTheAccountHeadersAndNothingOfTheCaller() {
        alloy.stubFor(get("/connectors").willReturn(okJson(CONNECTORS)));

        GraphQL.ok(token, QUERY, Map.of()).body("data.connectors.id", hasItems("hubspot", "slack"));

        alloy.verify(1, getRequestedFor(urlEqualTo("/connectors"))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + AlloyWireMock.API_KEY))
                .withHeader("x-api-version", WireMock.equalTo("2025-09"))
                // The catalog is account-wide, and the caller's own token never travels upstream.
                .withHeader("x-alloy-userid", absent()));
    }

    @Test
    void readsTheBareAndPluralFormsToo() {
        alloy.stubFor(get("/connectors").willReturn(okJson("""
                [{"id":"zohoCRM","name":"Zoho CRM","groups":["input"],"categories":["crm"]}]""")));
        alloy.stubFor(get("/connectors/zohoCRM/actions/listLeads").willReturn(okJson("""
                {"id":"listLeads","displayName":"List leads","httpMethod":"GET","path":"/crm/v2/Leads",
                 "parameters":[{"name":"page","in":"query","required":false,"schema":{"type":"integer"}}]}""")));

        GraphQL.ok(token, """
                query($c: ID!, $id: ID!) {
                  connectors { id groups categories }
                  action(connectorId: $c, id: $id) { httpMethod parameters requestBody }
                }
                """, Map.of("c", "zohoCRM", "id", "listLeads"))
                .body("data.connectors[0].groups", equalTo(List.of("input")))
                .body("data.connectors[0].categories", equalTo(List.of("crm")))
                .body("data.action.httpMethod", equalTo("get"))
                .body("data.action.parameters[0].schema.type", equalTo("integer"))
                .body("data.action.requestBody", nullValue());
    }

    @Test
    void retriesA429AfterTheSecondsOfRetryAfter() {
        alloy.stubFor(get("/connectors").inScenario("rate").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
                .willSetStateTo("open"));
        alloy.stubFor(get("/connectors").inScenario("rate").whenScenarioStateIs("open")
                .willReturn(okJson(CONNECTORS)));

        long start = System.nanoTime();
        GraphQL.ok(token, QUERY, Map.of()).body("data.connectors.id", hasItems("hubspot"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        alloy.verify(2, getRequestedFor(urlEqualTo("/connectors")));
        assertThat(took).as("waited for Retry-After").isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void retriesA429AfterAnHttpDate() {
        String inOneSecond = DateTimeFormatter.RFC_1123_DATE_TIME
                .format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(1));
        alloy.stubFor(get("/connectors").inScenario("date").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", inOneSecond))
                .willSetStateTo("open"));
        alloy.stubFor(get("/connectors").inScenario("date").whenScenarioStateIs("open")
                .willReturn(okJson(CONNECTORS)));

        GraphQL.ok(token, QUERY, Map.of());

        alloy.verify(2, getRequestedFor(urlEqualTo("/connectors")));
    }

    @Test
    void aRetryAfterPastTheDeadlineIsReportedNotWaitedFor() {
        alloy.stubFor(get("/connectors").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));

        GraphQL.post(token, QUERY).statusCode(200)
                .body("data", nullValue())
                .body("errors[0].extensions.code", equalTo("RATE_LIMITED"))
                .body("errors[0].extensions.retryAfterSeconds", equalTo(120));

        alloy.verify(1, getRequestedFor(urlEqualTo("/connectors")));
    }

    @Test
    void retries5xxABoundedNumberOfTimesThenReportsTheUpstreamError() {
        alloy.stubFor(get("/connectors").willReturn(aResponse().withStatus(503).withHeader("Content-Type",
                "application/json").withBody("""
                        {"error":{"source":"CONNECTIVITY_API","code":"INTERNAL_ERROR","message":"Service unavailable",
                         "details":{"httpStatusCode":503}}}""")));

        GraphQL.post(token, QUERY).statusCode(200)
                .body("errors[0].extensions.code", equalTo("UPSTREAM_ERROR"))
                .body("errors[0].extensions.source", equalTo("CONNECTIVITY_API"))
                .body("errors[0].extensions.httpStatusCode", equalTo(503))
                .body("errors[0].extensions.upstreamCode", equalTo("INTERNAL_ERROR"))
                .body("errors[0].message", equalTo("Service unavailable"));

        alloy.verify(4, getRequestedFor(urlEqualTo("/connectors")));
    }

    @Test
    void aClientErrorIsNotRetriedAndItsFlatFormIsRead() {
        alloy.stubFor(get("/connectors").willReturn(okJson(CONNECTORS)));
        alloy.stubFor(get("/connectors/hubspot/resources").willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                        {"code":"INVALID_INPUT","message":"connectorId is not valid"}""")));

        GraphQL.post(token, RESOURCES, Map.of("c", "hubspot")).statusCode(200)
                .body("errors[0].extensions.code", equalTo("UPSTREAM_ERROR"))
                .body("errors[0].extensions.httpStatusCode", equalTo(400))
                .body("errors[0].extensions.upstreamCode", equalTo("INVALID_INPUT"));

        alloy.verify(1, getRequestedFor(urlEqualTo("/connectors/hubspot/resources")));
    }

    @Test
    void aThirdPartyErrorKeepsItsSourceAndStatus() {
        alloy.stubFor(get("/connectors").willReturn(okJson(CONNECTORS)));
        alloy.stubFor(get("/connectors/slack/credentials/metadata").willReturn(aResponse().withStatus(502)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"error":{"source":"THIRD_PARTY","code":"PROVIDER_DOWN","message":"Slack is down",
                         "details":{"httpStatusCode":504}}}""")));

        GraphQL.post(token, """
                query($c: ID!) { credentialRequirements(connectorId: $c) { authenticationType } }
                """, Map.of("c", "slack"))
                .body("errors[0].extensions.code", equalTo("UPSTREAM_ERROR"))
                .body("errors[0].extensions.source", equalTo("THIRD_PARTY"))
                .body("errors[0].extensions.httpStatusCode", equalTo(504));
    }

    @Test
    void aBrokenConnectionIsRetriedThenUnavailable() {
        alloy.stubFor(get("/connectors").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        GraphQL.post(token, QUERY).statusCode(200)
                .body("errors[0].extensions.code", equalTo("UPSTREAM_UNAVAILABLE"));

        alloy.verify(4, getRequestedFor(urlEqualTo("/connectors")));
    }

    @Test
    void aSlowAnswerTimesOut() {
        alloy.stubFor(get("/connectors").willReturn(okJson(CONNECTORS).withFixedDelay(1500)));

        GraphQL.post(token, QUERY).statusCode(200)
                .body("errors[0].extensions.code", equalTo("UPSTREAM_UNAVAILABLE"))
                .body("errors[0].extensions.reason", equalTo("TIMEOUT"));

        alloy.verify(4, getRequestedFor(urlEqualTo("/connectors")));
    }

    @Test
    void aMalformedAnswerIsUnavailableAndNotRetried() {
        alloy.stubFor(get("/connectors").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"connectors": [ {"id":""")));
        alloy.stubFor(get("/connectors/slack/resources").willReturn(okJson("""
                {"unexpected": true}""")));

        GraphQL.post(token, QUERY).statusCode(200)
                .body("errors[0].extensions.code", equalTo("UPSTREAM_UNAVAILABLE"))
                .body("errors[0].extensions.reason", equalTo("MALFORMED_RESPONSE"));
        alloy.verify(1, getRequestedFor(urlEqualTo("/connectors")));
    }

    @Test
    void anOpenBreakerStopsCallingAlloy() {
        alloy.stubFor(get("/connectors").willReturn(aResponse().withStatus(500)));

        // Two queries: 2 x 4 failed attempts fill the breaker's window of 8.
        GraphQL.post(token, QUERY).body("errors[0].extensions.code", equalTo("UPSTREAM_ERROR"));
        GraphQL.post(token, QUERY).body("errors[0].extensions.code", equalTo("UPSTREAM_ERROR"));
        alloy.verify(8, getRequestedFor(urlEqualTo("/connectors")));

        GraphQL.post(token, QUERY)
                .body("errors[0].extensions.code", equalTo("UPSTREAM_UNAVAILABLE"))
                .body("errors[0].extensions.reason", equalTo("BREAKER_OPEN"));
        alloy.verify(8, getRequestedFor(urlEqualTo("/connectors")));
    }

    @Test
    void concurrentRequestsShareOneLoadAndTheAnswerIsCached() throws Exception {
        // Long enough for the ten to overlap, well inside the profile's 400 ms attempt timeout.
        alloy.stubFor(get("/connectors").willReturn(okJson(CONNECTORS).withFixedDelay(150)));

        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                calls.add(pool.submit(() -> GraphQL.ok(token, QUERY, Map.of())));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            pool.shutdownNow();
        }
        GraphQL.ok(token, "query($id: ID!) { connector(id: $id) { name } }", Map.of("id", "slack"));

        alloy.verify(1, getRequestedFor(urlEqualTo("/connectors")));
    }

    @Test
    void theCacheExpiresAfterItsTtl() {
        alloy.stubFor(get("/connectors").willReturn(okJson(CONNECTORS)));

        GraphQL.ok(token, QUERY, Map.of());
        GraphQL.ok(token, QUERY, Map.of());
        alloy.verify(1, getRequestedFor(urlEqualTo("/connectors")));

        Awaitility.await().pollDelay(Duration.ofMillis(2100)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> {
                    GraphQL.ok(token, QUERY, Map.of());
                    alloy.verify(2, getRequestedFor(urlEqualTo("/connectors")));
                });
    }

    @Test
    void aFailedLoadIsNotCached() {
        alloy.stubFor(get("/connectors").inScenario("recover").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(400)).willSetStateTo("ok"));
        alloy.stubFor(get("/connectors").inScenario("recover").whenScenarioStateIs("ok")
                .willReturn(okJson(CONNECTORS)));

        GraphQL.post(token, QUERY).body("errors[0].extensions.code", equalTo("UPSTREAM_ERROR"));
        GraphQL.ok(token, QUERY, Map.of()).body("data.connectors.id", hasItems("slack"));
    }

    @Test
    void aTreeQueryCostsOneCallPerDistinctKey() {
        alloy.stubFor(get("/connectors").willReturn(okJson(CONNECTORS)));
        alloy.stubFor(get("/connectors/hubspot/resources").willReturn(okJson("""
                {"resources":[
                  {"name":"contacts","actions":[{"id":"createContact","name":"Create"},{"id":"listContacts","name":"List"}]},
                  {"name":"people","actions":[{"id":"createContact","name":"Create (alias)"}]}
                ]}""")));
        alloy.stubFor(get("/connectors/slack/resources").willReturn(okJson("""
                {"resources":[{"name":"chat","actions":[{"id":"chat_postMessage","name":"Post"}]}]}""")));
        alloy.stubFor(get(urlPathMatching("/connectors/[^/]+/actions/[^/]+")).willReturn(okJson("""
                {"action":{"displayName":"An action","httpMethod":"post","path":"/x","parameters":[]}}""")));
        alloy.stubFor(get(urlPathMatching("/connectors/[^/]+/credentials/metadata")).willReturn(okJson("""
                {"metadata":[{"authenticationType":"oauth2"}]}""")));

        String tree = """
                query {
                  connectors {
                    id
                    credentialRequirements { authenticationType }
                    resources { name actions { id details { displayName httpMethod } } }
                  }
                }
                """;
        // Both queries first, then the checks: RestAssured's first GPath evaluation in a JVM was measured taking
        // over 2 s (the profile's cache TTL) on a loaded machine, and the second query must come within the TTL.
        ValidatableResponse first = GraphQL.post(token, tree, Map.of());
        ValidatableResponse second = GraphQL.post(token, tree, Map.of());
        for (ValidatableResponse answer : List.of(first, second)) {
            answer.statusCode(200).body("errors", nullValue())
                    .body("data.connectors.resources.flatten().actions.flatten().details.displayName",
                            not(hasItems((Object) null)));
        }

        alloy.verify(1, getRequestedFor(urlEqualTo("/connectors")));
        alloy.verify(1, getRequestedFor(urlEqualTo("/connectors/hubspot/resources")));
        alloy.verify(1, getRequestedFor(urlEqualTo("/connectors/slack/resources")));
        alloy.verify(1, getRequestedFor(urlEqualTo("/connectors/hubspot/actions/createContact")));
        alloy.verify(1, getRequestedFor(urlEqualTo("/connectors/hubspot/actions/listContacts")));
        alloy.verify(1, getRequestedFor(urlEqualTo("/connectors/slack/actions/chat_postMessage")));
        alloy.verify(1, getRequestedFor(urlEqualTo("/connectors/hubspot/credentials/metadata")));
        alloy.verify(1, getRequestedFor(urlEqualTo("/connectors/slack/credentials/metadata")));
    }

    @Test
    void anUnknownConnectorCostsNoCallBeyondTheCatalog() {
        alloy.stubFor(get("/connectors").willReturn(okJson(CONNECTORS)));

        GraphQL.post(token, RESOURCES, Map.of("c", "nope"))
                .body("errors[0].extensions.code", equalTo("NOT_FOUND"));
        GraphQL.ok(token, "query($c: ID!, $id: ID!) { action(connectorId: $c, id: $id) { id } }",
                Map.of("c", "nope", "id", "x"))
                .body("data.action", nullValue());

        assertThat(alloy.getAllServeEvents()).hasSize(1);
    }

    @Test
    void noAnswerEverCarriesTheApiKeyOrAClassName() {
        alloy.stubFor(get("/connectors").willReturn(aResponse().withStatus(401).withHeader("Content-Type",
                "application/json").withBody("""
                        {"error":{"code":"UNAUTHORIZED","message":"Invalid API key %s"}}"""
                        .formatted(AlloyWireMock.API_KEY))));

        GraphQL.post(token, QUERY)
                .body("errors[0].extensions.code", equalTo("UPSTREAM_ERROR"))
                .body(not(containsString(AlloyWireMock.API_KEY)))
                .body(not(containsString("Exception")))
                .body(not(containsString("com.alloygateway")));
    }
}
