package com.alloygateway.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.alloygateway.db.Database;
import com.alloygateway.sandbox.SandboxJournal;
import com.alloygateway.tenancy.Tenant;
import com.alloygateway.testing.TenantClient;
import com.alloygateway.testing.Tokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** executeAction and executions against the embedded sandbox. */
@QuarkusTest
class ExecutionTest {

    private static final String ISO_MILLIS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    @Inject
    SandboxJournal journal;

    @Inject
    Database db;

    @Inject
    ExecutionRepository repository;

    @Inject
    IdempotencyPurge purge;

    private TenantClient tenant;
    private String userId;
    private String shippo;

    @BeforeEach
    void aTenantWithAShippoCredential() {
        tenant = TenantClient.newTenant("executor");
        userId = tenant.provision();
        shippo = tenant.apiKeyCredential();
    }

    private Map<String, Object> address(String zip) {
        Map<String, Object> input = new HashMap<>();
        input.put("connectorId", "shippo");
        input.put("actionId", "createAddress");
        input.put("credentialId", shippo);
        input.put("requestBody", Map.of("name", "Jane Merchant", "street1", "215 Clayton St.",
                "city", "San Francisco", "zip", zip, "country", "US"));
        return input;
    }

    private long executeCalls() {
        return journal.calls().stream().filter(c -> c.path().endsWith("/execute")).count();
    }

    @Test
    void anExecutionReturnsTheThirdPartysAnswerAndIsLogged() {
        journal.clear();
        long before = System.nanoTime();
        JsonPath result = tenant.execute(address("94117"));
        long elapsedMillis = Duration.ofNanos(System.nanoTime() - before).toMillis();

        assertThat(result.getString("errors")).isNull();
        assertThat(result.getString("data.executeAction.status")).isEqualTo("SUCCEEDED");
        assertThat(result.getString("data.executeAction.responseData.object_id")).matches("[0-9a-f]{24}");
        assertThat(result.getBoolean("data.executeAction.responseData.validation_results.is_valid")).isTrue();
        assertThat(result.getInt("data.executeAction.upstreamStatus")).isEqualTo(200);
        assertThat(result.getInt("data.executeAction.attempts")).isEqualTo(1);
        // Measured by the gateway inside the call the test timed, so never more than the test saw.
        assertThat(result.getLong("data.executeAction.durationMs")).isBetween(0L, elapsedMillis);
        assertThat(result.getString("data.executeAction.startedAt")).matches(ISO_MILLIS);
        assertThat(journal.calls()).filteredOn(c -> c.path().endsWith("/execute")).singleElement()
                .satisfies(call -> {
                    assertThat(call.path()).isEqualTo("/alloy-sandbox/connectors/shippo/actions/createAddress/execute");
                    assertThat(call.userId()).isEqualTo(userId);
                    assertThat(call.credentialId()).isEqualTo(shippo);
                });

        JsonPath log = tenant.post("{ executions { edges { node { id status responseData attempts } } } }", Map.of());
        assertThat(log.getString("data.executions.edges[0].node.id"))
                .isEqualTo(result.getString("data.executeAction.id"));
        // The audit log keeps no third-party payload.
        assertThat(log.getString("data.executions.edges[0].node.responseData")).isNull();
    }

    @Test
    void aThirdPartyErrorIsAFailedExecutionWithItsIdAndWhetherRetryingIsSafe() {
        String hubspot = tenant.oauthCredential("hubspot");
        Map<String, Object> contact = Map.of("connectorId", "hubspot", "actionId", "createContact",
                "credentialId", hubspot, "requestBody", Map.of("properties",
                        Map.of("email", "jane@example.com", "firstname", "Jane", "lastname", "Merchant")));
        assertThat(tenant.execute(contact).getString("data.executeAction.status")).isEqualTo("SUCCEEDED");

        JsonPath duplicate = tenant.execute(contact);

        assertThat(duplicate.getString("errors[0].extensions.code")).isEqualTo("UPSTREAM_ERROR");
        assertThat(duplicate.getString("errors[0].extensions.source")).isEqualTo("THIRD_PARTY");
        assertThat(duplicate.getInt("errors[0].extensions.httpStatusCode")).isEqualTo(409);
        assertThat(duplicate.getBoolean("errors[0].extensions.retryable")).isTrue();
        String executionId = duplicate.getString("errors[0].extensions.executionId");
        JsonPath failed = tenant.post("{ executions(status: FAILED) { edges { node { id errorCode upstreamStatus } } } }",
                Map.of());
        assertThat(failed.getString("data.executions.edges[0].node.id")).isEqualTo(executionId);
        assertThat(failed.getString("data.executions.edges[0].node.errorCode")).isEqualTo("UPSTREAM_ERROR");
        assertThat(failed.getInt("data.executions.edges[0].node.upstreamStatus")).isEqualTo(409);
    }

    @Test
    void invalidInputIsRefusedWithPointersAndCostsNoCall() {
        String hubspot = tenant.oauthCredential("hubspot");
        journal.clear();

        JsonPath missingEmail = tenant.execute(Map.of("connectorId", "hubspot", "actionId", "createContact",
                "credentialId", hubspot, "requestBody", Map.of("properties", Map.of("firstname", "Jane",
                        "lastname", "Merchant", "email", 42))));
        assertThat(missingEmail.getString("errors[0].extensions.code")).isEqualTo("INVALID_INPUT");
        assertThat(missingEmail.getList("errors[0].extensions.violations.path", String.class))
                .contains("/input/requestBody/properties/email");

        JsonPath noPath = tenant.execute(Map.of("connectorId", "hubspot", "actionId", "getContact",
                "credentialId", hubspot));
        assertThat(noPath.getList("errors[0].extensions.violations.path", String.class))
                .containsExactly("/input/pathParams/contactId");

        JsonPath tooMany = tenant.execute(Map.of("connectorId", "hubspot", "actionId", "listContacts",
                "credentialId", hubspot, "queryParameters", Map.of("limit", 500),
                "additionalHeaders", Map.of("X-Trace", List.of("not", "a", "string"))));
        assertThat(tooMany.getList("errors[0].extensions.violations.path", String.class))
                .containsExactlyInAnyOrder("/input/queryParameters/limit", "/input/additionalHeaders/X-Trace");

        JsonPath notAnObject = tenant.execute(Map.of("connectorId", "hubspot", "actionId", "listContacts",
                "credentialId", hubspot, "pathParams", List.of(1, 2)));
        assertThat(notAnObject.getList("errors[0].extensions.violations.path", String.class))
                .containsExactly("/input/pathParams");

        Map<String, Object> longKey = new HashMap<>(address("94117"));
        longKey.put("idempotencyKey", "k".repeat(256));
        assertThat(tenant.execute(longKey).getString("errors[0].extensions.violations[0].path"))
                .isEqualTo("/input/idempotencyKey");

        assertThat(executeCalls()).isZero();
        assertThat(tenant.post("{ executions { edges { node { id } } } }", Map.of())
                .getList("data.executions.edges")).isEmpty();
    }

    @Test
    void anUnknownActionIsNotFound() {
        Map<String, Object> input = new HashMap<>(address("94117"));
        input.put("actionId", "launchRocket");
        assertThat(tenant.execute(input).getString("errors[0].extensions.code")).isEqualTo("NOT_FOUND");
    }

    @Test
    void aRepeatedKeyReplaysTheFirstExecutionWithoutCallingAlloy() {
        Map<String, Object> input = new HashMap<>(address("94117"));
        input.put("idempotencyKey", "order-1001-address");
        journal.clear();

        JsonPath first = tenant.execute(input);
        JsonPath again = tenant.execute(input);

        assertThat(again.getString("data.executeAction.id")).isEqualTo(first.getString("data.executeAction.id"));
        assertThat(again.getMap("data.executeAction.responseData"))
                .isEqualTo(first.getMap("data.executeAction.responseData"));
        assertThat(again.getString("data.executeAction.idempotencyKey")).isEqualTo("order-1001-address");
        assertThat(executeCalls()).isEqualTo(1);

        Map<String, Object> other = new HashMap<>(address("10001"));
        other.put("idempotencyKey", "order-1001-address");
        JsonPath misuse = tenant.execute(other);
        assertThat(misuse.getString("errors[0].extensions.code")).isEqualTo("INVALID_INPUT");
        assertThat(misuse.getString("errors[0].extensions.violations[0].path")).isEqualTo("/input/idempotencyKey");
        assertThat(executeCalls()).isEqualTo(1);

        // The same key is another tenant's own business.
        TenantClient neighbour = TenantClient.newTenant("neighbour");
        neighbour.provision();
        Map<String, Object> theirs = new HashMap<>(address("94117"));
        theirs.put("credentialId", neighbour.apiKeyCredential());
        theirs.put("idempotencyKey", "order-1001-address");
        JsonPath theirRun = neighbour.execute(theirs);
        assertThat(theirRun.getString("data.executeAction.status")).isEqualTo("SUCCEEDED");
        assertThat(theirRun.getString("data.executeAction.id")).isNotEqualTo(first.getString("data.executeAction.id"));
        assertThat(executeCalls()).isEqualTo(2);
    }

    @Test
    void aReplayOfAFailureFailsTheSameWay() {
        Map<String, Object> input = new HashMap<>(address("00000"));
        input.put("idempotencyKey", "bad-zip");
        journal.clear();
        JsonPath first = tenant.execute(input);
        JsonPath again = tenant.execute(input);
        assertThat(first.getString("errors[0].extensions.code")).isEqualTo("UPSTREAM_ERROR");
        assertThat(again.getString("errors[0].extensions.code")).isEqualTo("UPSTREAM_ERROR");
        assertThat(again.getString("errors[0].extensions.executionId"))
                .isEqualTo(first.getString("errors[0].extensions.executionId"));
        assertThat(again.getBoolean("errors[0].extensions.replayed")).isTrue();
        assertThat(executeCalls()).isEqualTo(1);
    }

    @Test
    void pagesNeverOverlapOrSkipAndComeNewestFirst() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(0, tenant.execute(address("9411" + i)).getString("data.executeAction.id"));
        }
        List<String> seen = new ArrayList<>();
        String after = null;
        List<Boolean> hasNext = new ArrayList<>();
        List<Boolean> hasPrevious = new ArrayList<>();
        do {
            Map<String, Object> variables = new HashMap<>();
            variables.put("after", after);
            JsonPath page = tenant.post("""
                    query($after: String) {
                      executions(first: 2, after: $after) {
                        edges { cursor node { id } } pageInfo { hasNextPage endCursor hasPreviousPage startCursor } }
                    }
                    """, variables);
            seen.addAll(page.getList("data.executions.edges.node.id"));
            hasNext.add(page.getBoolean("data.executions.pageInfo.hasNextPage"));
            hasPrevious.add(page.getBoolean("data.executions.pageInfo.hasPreviousPage"));
            assertThat(page.getString("data.executions.pageInfo.startCursor"))
                    .isEqualTo(page.getString("data.executions.edges[0].cursor"));
            after = page.getString("data.executions.pageInfo.endCursor");
        } while (hasNext.get(hasNext.size() - 1));

        assertThat(seen).isEqualTo(ids);
        assertThat(hasNext).containsExactly(true, true, false);
        assertThat(hasPrevious).containsExactly(false, true, true);

        JsonPath filtered = tenant.post("""
                query($c: ID, $a: ID) {
                  executions(connectorId: $c, actionId: $a, status: SUCCEEDED, first: 100) { edges { node { id } } }
                }
                """, Map.of("c", "shippo", "a", "createAddress"));
        assertThat(filtered.getList("data.executions.edges.node.id")).isEqualTo(ids);
        assertThat(tenant.post("""
                query($a: ID) { executions(actionId: $a) { edges { node { id } } } }
                """, Map.of("a", "other")).getList("data.executions.edges")).isEmpty();
    }

    @Test
    void badPagingArgumentsAreInvalidInput() {
        String page = """
                query($first: Int, $after: String) { executions(first: $first, after: $after) { edges { cursor } } }
                """;
        assertThat(tenant.post(page, Map.of("first", 0))
                .getString("errors[0].extensions.violations[0].path")).isEqualTo("/first");
        assertThat(tenant.post(page, Map.of("first", 101))
                .getString("errors[0].extensions.code")).isEqualTo("INVALID_INPUT");
        assertThat(tenant.post(page, Map.of("after", "garbage"))
                .getString("errors[0].extensions.violations[0].path")).isEqualTo("/after");
    }

    @Test
    void expiredKeysArePurgedAndFreeAgain() {
        Map<String, Object> input = new HashMap<>(address("94117"));
        input.put("idempotencyKey", "expiring-" + UUID.randomUUID());
        String firstId = tenant.execute(input).getString("data.executeAction.id");
        String tenantId = new Tenant(Tokens.ISSUER, tenant.subject).id();
        db.write(s -> s.createMutationQuery(
                "update IdempotencyRecord set expiresAt = :past where tenantId = :tenant")
                .setParameter("past", Instant.now().minusSeconds(1))
                .setParameter("tenant", tenantId).executeUpdate()).await().indefinitely();

        assertThat(purge.purgeExpired().await().indefinitely()).isGreaterThanOrEqualTo(1);
        assertThat(db.read(s -> repository.findKey(s, tenantId, (String) input.get("idempotencyKey")))
                .await().indefinitely()).isNull();
        assertThat(tenant.execute(input).getString("data.executeAction.id")).isNotEqualTo(firstId);
    }
}
