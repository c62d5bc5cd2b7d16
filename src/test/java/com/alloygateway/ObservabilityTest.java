package com.alloygateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.alloygateway.testing.TenantClient;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Metrics, health, request ids, and logs that hold no secret or payload. */
@QuarkusTest
class ObservabilityTest {

    /** The management interface (health, metrics), on its own port. */
    @TestHTTPResource(value = "/", management = true)
    URL managementRoot;

    private String management;

    @BeforeEach
    void managementBase() {
        management = managementRoot.getProtocol() + "://" + managementRoot.getHost() + ":" + managementRoot.getPort();
    }

    @Test
    void healthAndMetricsAreNotOnThePublicPort() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
        given().get(management + "/q/health/live").then().statusCode(200);
    }

    @Test
    void metricsCoverExecutionsUpstreamLatencyRetriesAndTheBreaker() {
        TenantClient tenant = TenantClient.newTenant("metrics");
        tenant.provision();
        String credential = tenant.apiKeyCredential();
        tenant.execute(Map.of("connectorId", "shippo", "actionId", "createAddress", "credentialId", credential,
                "requestBody", Map.of("name", "A", "street1", "B", "city", "C", "zip", "94117", "country", "US")));
        // A 429 from the sandbox, retried after Retry-After: 1.
        tenant.execute(Map.of("connectorId", "shippo", "actionId", "createAddress", "credentialId", credential,
                "requestBody", Map.of("name", "A", "street1", "B", "city", "C", "zip", "94117", "country", "US"),
                "additionalHeaders", Map.of("x-sandbox-simulate", "rate_limit")));

        String metrics = given().get(management + "/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern("gateway_executions_total\\{.*action=\"createAddress\".*outcome=\"SUCCEEDED\".*\\}")
                .containsPattern("alloy_client_requests_seconds_bucket\\{.*endpoint=\"POST /connectors/\\{c\\}/actions/\\{a\\}/execute\".*status=\"200\"")
                .containsPattern("alloy_client_requests_seconds_count\\{.*status=\"429\"")
                .containsPattern("alloy_client_retries_total\\{.*endpoint=\"POST /connectors/\\{c\\}/actions/\\{a\\}/execute\"")
                .contains("alloy_client_breaker_state");
    }

    @Test
    void readinessIncludesTheDatabase() {
        given().get(management + "/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL")));
    }

    @Test
    void everyResponseCarriesARequestId() {
        given().get("/graphql/schema.graphql").then().header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
        given().header("X-Request-Id", "trace-42").contentType(ContentType.JSON)
                .body(Map.of("query", "{ me { tenant } }")).post("/graphql")
                .then().statusCode(401).header("X-Request-Id", equalTo("trace-42"));
        given().header("X-Request-Id", "bad id\r\nx").get("/graphql/schema.graphql")
                .then().header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
    }

    @Test
    void logsHoldNoSecretTokenOrPayload() throws Exception {
        TenantClient tenant = TenantClient.newTenant("hygiene");
        tenant.provision();
        String marker = "payload-marker-" + UUID.randomUUID();
        String apiKey = "shippo_secret_" + UUID.randomUUID();
        tenant.post("""
                mutation($input: CreateCredentialInput!) { createCredential(input: $input) { credentialId } }
                """, Map.of("input", Map.of("connectorId", "shippo", "authenticationType", "apiKey",
                "data", Map.of("apiKey", apiKey))));
        String credential = tenant.post("""
                query($c: ID) { credentials(connectorId: $c) { id } }
                """, Map.of("c", "shippo"))
                .getString("data.credentials[0].id");
        tenant.execute(Map.of("connectorId", "shippo", "actionId", "createAddress", "credentialId", credential,
                "requestBody", Map.of("name", marker, "street1", "B", "city", "C", "zip", "00000", "country", "US")));
        tenant.execute(Map.of("connectorId", "shippo", "actionId", "createAddress", "credentialId", credential,
                "requestBody", Map.of("name", marker, "street1", "B", "city", "C", "zip", "94117", "country", "US")));

        String log = Files.readString(Path.of("target", "quarkus-test.log"));
        assertThat(log).isNotEmpty()
                .doesNotContain(marker)
                .doesNotContain(apiKey)
                .doesNotContain("sandbox-api-key")
                .doesNotContain(tenant.token);
    }
}
