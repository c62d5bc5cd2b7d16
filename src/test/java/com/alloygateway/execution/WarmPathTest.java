package com.alloygateway.execution;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.alloygateway.catalog.CatalogService;
import com.alloygateway.testing.AlloyStubs;
import com.alloygateway.testing.GatewayState;
import com.alloygateway.testing.InjectWireMock;
import com.alloygateway.testing.PostgresResource;
import com.alloygateway.testing.TenantClient;
import com.alloygateway.testing.TracedProfile;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * executeAction once the catalog is warm: the credential's recorded ownership is checked by the statement that
 * writes the row (one database statement before the call, one after), and every other case still goes the long
 * way with its answers unchanged: a credential only Alloy lists as the caller's runs, another tenant's is
 * refused and logged, bad input beside another tenant's credential is still NOT_FOUND.
 */
@QuarkusTest
@TestProfile(TracedProfile.class)
class WarmPathTest {

    private static final String EXECUTE = "/connectors/shippo/actions/createAddress/execute";

    @InjectWireMock
    WireMockServer alloy;

    @Inject
    GatewayState state;

    @Inject
    InMemorySpanExporter spans;

    @Inject
    CatalogService catalog;

    @Inject
    ExecutionRepository repository;

    private TenantClient tenant;
    private String tenantId;

    @BeforeEach
    void aTenantAndAWarmCatalog() throws SQLException {
        alloy.resetAll();
        state.reset();
        AlloyStubs.everyUserExists(alloy);
        AlloyStubs.shippoCredentialPerUser(alloy);
        alloy.stubFor(post(EXECUTE).willReturn(okJson("""
                {"responseData":{"object_id":"warm"}}""")));
        tenant = TenantClient.newTenant("warm");
        String userId = tenant.provision();
        tenantId = tenantOf(userId);
        assertThat(catalog.knownAction("shippo", "createAddress")).isEmpty();
        // The first execute loads the catalog (the long way); the tests' own executes find it cached.
        assertThat(tenant.execute(input(recordedCredential(tenantId), "94117"))
                .getString("data.executeAction.status")).isEqualTo("SUCCEEDED");
        assertThat(catalog.knownAction("shippo", "createAddress")).isPresent();
        alloy.resetRequests();
    }

    @Test
    void theOwnershipCheckAndTheRowAreOneStatement() {
        String credential = recordedCredential(tenantId);
        String traceId = UUID.randomUUID().toString().replace("-", "");

        JsonPath answer = given().auth().oauth2(tenant.token).contentType(ContentType.JSON)
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .body(Map.of("query", """
                        mutation($input: ExecuteActionInput!) { executeAction(input: $input) { status responseData } }
                        """, "variables", Map.of("input", input(credential, "94117"))))
                .post("/graphql").then().statusCode(200).extract().jsonPath();

        assertThat(answer.getString("errors")).isNull();
        assertThat(answer.getString("data.executeAction.status")).isEqualTo("SUCCEEDED");
        assertThat(answer.getString("data.executeAction.responseData.object_id")).isEqualTo("warm");
        alloy.verify(1, postRequestedFor(urlPathEqualTo(EXECUTE)));
        // One statement writes the row (ownership checked in it), one completes it: no look-up of its own.
        assertThat(databaseSpansOf(traceId)).containsExactly("db statement", "db statement");
        assertThat(tenant.post("{ executions { edges { node { id credentialId status } } } }", Map.of())
                .getList("data.executions.edges.node.credentialId")).contains(credential);
    }

    @Test
    void aCredentialOnlyAlloyListsAsTheCallersStillRuns() {
        String listed = "s" + userIdOf(tenantId);

        JsonPath answer = tenant.execute(input(listed, "94117"));

        assertThat(answer.getString("errors")).isNull();
        assertThat(answer.getString("data.executeAction.status")).isEqualTo("SUCCEEDED");
        alloy.verify(1, postRequestedFor(urlPathEqualTo(EXECUTE)));
    }

    @Test
    void anotherTenantsRecordedCredentialIsRefusedAndLoggedAsRejected() {
        String theirs = recordedCredential(otherTenant());

        JsonPath answer = tenant.execute(input(theirs, "94117"));

        assertThat(answer.getString("errors[0].extensions.code")).isEqualTo("NOT_FOUND");
        String executionId = answer.getString("errors[0].extensions.executionId");
        assertThat(executionId).isNotNull();
        alloy.verify(0, postRequestedFor(urlPathEqualTo(EXECUTE)));
        assertThat(tenant.post("{ execution(id: \"" + executionId + "\") { status } }", Map.of())
                .getString("data.execution.status")).isEqualTo("REJECTED");
    }

    @Test
    void badInputBesideAnotherTenantsCredentialIsStillNotFound() {
        JsonPath answer = tenant.execute(input(recordedCredential(otherTenant()), null));

        assertThat(answer.getString("errors[0].extensions.code")).isEqualTo("NOT_FOUND");
        alloy.verify(0, postRequestedFor(urlPathEqualTo(EXECUTE)));
    }

    @Test
    void theStatementWritesNothingForACredentialNotRecordedAsTheTenants() throws SQLException {
        ExecutionRecord theirs = record(recordedCredential(otherTenant()), "key-" + UUID.randomUUID());

        ExecutionRepository.OwnedStart start = repository.insertIfRecordedOwner(theirs, "f", Instant.now().plusSeconds(60))
                .await().atMost(Duration.ofSeconds(10));

        assertThat(start).isEqualTo(new ExecutionRepository.OwnedStart(false, false));
        assertThat(count("select count(*) from execution where id = ?::uuid", theirs.id.toString())).isZero();
        assertThat(count("select count(*) from idempotency_record where idempotency_key = ?", theirs.idempotencyKey))
                .as("no key claimed for a credential that is not the tenant's").isZero();
    }

    @Test
    void theStatementClaimsTheKeyWithTheRowOrWritesNeither() throws SQLException {
        String credential = recordedCredential(tenantId);
        String key = "key-" + UUID.randomUUID();
        ExecutionRecord first = record(credential, key);
        ExecutionRecord second = record(credential, key);
        Instant expiry = Instant.now().plusSeconds(60);

        assertThat(repository.insertIfRecordedOwner(first, "f", expiry).await().atMost(Duration.ofSeconds(10)))
                .isEqualTo(new ExecutionRepository.OwnedStart(true, true));
        assertThat(repository.insertIfRecordedOwner(second, "f", expiry).await().atMost(Duration.ofSeconds(10)))
                .as("the key is held by the first").isEqualTo(new ExecutionRepository.OwnedStart(true, false));

        assertThat(count("select count(*) from execution where id = ?::uuid", first.id.toString())).isOne();
        assertThat(count("select count(*) from execution where id = ?::uuid", second.id.toString())).isZero();
        assertThat(count("select count(*) from idempotency_record where idempotency_key = ? and execution_id = ?::uuid",
                key, first.id.toString())).isOne();

        ExecutionRecord noKey = record(credential, null);
        assertThat(repository.insertIfRecordedOwner(noKey, null, null).await().atMost(Duration.ofSeconds(10)))
                .isEqualTo(new ExecutionRepository.OwnedStart(true, true));
        assertThat(count("select count(*) from execution where id = ?::uuid", noKey.id.toString())).isOne();
    }

    /**
     * The database spans of the trace, in the order they started, once its server span is finished (the request's
     * database spans end before it does).
     */
    private List<String> databaseSpansOf(String traceId) {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<SpanData> trace = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getTraceId().equals(traceId)).toList();
            if (trace.stream().noneMatch(s -> s.getKind() == SpanKind.SERVER)) {
                return null;
            }
            return trace.stream().filter(s -> s.getName().startsWith("db "))
                    .sorted((a, b) -> Long.compare(a.getStartEpochNanos(), b.getStartEpochNanos()))
                    .map(SpanData::getName).toList();
        }, found -> found != null);
    }

    private static Map<String, Object> input(String credentialId, String zip) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "Jane Merchant", "street1", "215 Clayton St.",
                "city", "San Francisco", "country", "US"));
        if (zip != null) {
            body.put("zip", zip);
        }
        return Map.of("connectorId", "shippo", "actionId", "createAddress", "credentialId", credentialId,
                "requestBody", body);
    }

    private ExecutionRecord record(String credentialId, String key) {
        ExecutionRecord record = new ExecutionRecord();
        record.id = UUID.randomUUID();
        record.tenantId = tenantId;
        record.connectorId = "shippo";
        record.actionId = "createAddress";
        record.credentialId = credentialId;
        record.status = ExecutionStatus.UNKNOWN;
        record.idempotencyKey = key;
        record.startedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        return record;
    }

    /** Another provisioned tenant's id. */
    private static String otherTenant() {
        try {
            return tenantOf(TenantClient.newTenant("other").provision());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Shippo credential recorded as the tenant's (as createCredential records one), and not listed by Alloy. */
    private static String recordedCredential(String tenantId) {
        String id = "rec" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = jdbc(); PreparedStatement s = c.prepareStatement("""
                insert into credential_ownership (credential_id, tenant_id, connector_id, authentication_type, recorded_at)
                values (?, ?, 'shippo', 'apiKey', now())""")) {
            s.setString(1, id);
            s.setString(2, tenantId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return id;
    }

    private static String tenantOf(String alloyUserId) throws SQLException {
        return single("select tenant_id from tenant_user where alloy_user_id = ?", alloyUserId);
    }

    private static String userIdOf(String tenantId) {
        try {
            return single("select alloy_user_id from tenant_user where tenant_id = ?", tenantId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String single(String sql, String argument) throws SQLException {
        try (Connection c = jdbc(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, argument);
            try (ResultSet rs = q.executeQuery()) {
                assertThat(rs.next()).as(sql).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static long count(String sql, String... arguments) throws SQLException {
        try (Connection c = jdbc(); PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                q.setString(i + 1, arguments[i]);
            }
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Connection jdbc() throws SQLException {
        return DriverManager.getConnection(PostgresResource.postgres().getJdbcUrl("postgres", "postgres"));
    }
}
