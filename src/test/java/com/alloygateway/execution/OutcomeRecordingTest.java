package com.alloygateway.execution;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.alloygateway.db.Database;
import com.alloygateway.testing.AlloyStubs;
import com.alloygateway.testing.GatewayState;
import com.alloygateway.testing.InjectWireMock;
import com.alloygateway.testing.PostgresResource;
import com.alloygateway.testing.TenantClient;
import com.alloygateway.testing.WireMockAlloyProfile;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * An execution's outcome is not lost to a database hiccup, and a key is completed only by its own execution.
 * The hiccup is real: a trigger in PostgreSQL refuses the outcome's write for a few seconds.
 */
@QuarkusTest
@TestProfile(WireMockAlloyProfile.class)
class OutcomeRecordingTest {

    private static final String WRITE = "/connectors/shippo/actions/createAddress/execute";

    @InjectWireMock
    WireMockServer alloy;

    @Inject
    GatewayState state;

    @Inject
    Database db;

    @Inject
    ExecutionRepository repository;

    private TenantClient tenant;
    private String userId;

    private static Connection jdbc() throws SQLException {
        return DriverManager.getConnection(PostgresResource.postgres().getJdbcUrl("postgres", "postgres"));
    }

    @BeforeEach
    void aTenantWithACredential() throws SQLException {
        alloy.resetAll();
        state.reset();
        AlloyStubs.everyUserExists(alloy);
        AlloyStubs.shippoCredentialPerUser(alloy);
        alloy.stubFor(post(WRITE).willReturn(okJson("""
                {"responseData":{"object_id":"kept"}}""")));
        tenant = TenantClient.newTenant("outcome");
        userId = tenant.provision();
        try (Connection c = jdbc(); Statement s = c.createStatement()) {
            s.execute("create table if not exists test_outcome_fault (credential_id text primary key, until timestamptz)");
            s.execute("""
                    create or replace function test_outcome_fault() returns trigger language plpgsql as $$
                    begin
                      if new.status <> 'UNKNOWN' and exists (select 1 from test_outcome_fault
                          where credential_id = new.credential_id and until > clock_timestamp()) then
                        raise exception 'injected: the outcome cannot be written now';
                      end if;
                      return new;
                    end $$""");
            s.execute("drop trigger if exists test_outcome_fault on execution");
            s.execute("create trigger test_outcome_fault before update on execution for each row "
                    + "execute function test_outcome_fault()");
        }
    }

    @AfterEach
    void removeTheFault() throws SQLException {
        try (Connection c = jdbc(); Statement s = c.createStatement()) {
            s.execute("drop trigger if exists test_outcome_fault on execution");
        }
    }

    private String status(String executionId) throws SQLException {
        try (Connection c = jdbc();
                PreparedStatement q = c.prepareStatement("select status from execution where id = ?::uuid")) {
            q.setString(1, executionId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void anOutcomeThatCannotBeWrittenIsAnsweredAndWrittenLaterSoItsReplayIsNotUnknown() throws Exception {
        try (Connection c = jdbc();
                PreparedStatement fault = c.prepareStatement(
                        "insert into test_outcome_fault values (?, clock_timestamp() + interval '3 seconds')")) {
            fault.setString(1, "s" + userId);
            fault.executeUpdate();
        }
        Map<String, Object> input = Map.of("connectorId", "shippo", "actionId", "createAddress",
                "credentialId", "s" + userId, "requestBody", Map.of("zip", "94117"), "idempotencyKey", "hiccup-1");

        JsonPath answered = tenant.execute(input);
        assertThat(answered.getString("data.executeAction.status")).isEqualTo("SUCCEEDED");
        assertThat(answered.getString("data.executeAction.responseData.object_id")).isEqualTo("kept");
        String executionId = answered.getString("data.executeAction.id");
        assertThat(status(executionId)).isEqualTo("UNKNOWN");
        // Meanwhile the key is in flight: a repeat is told so, never "unknown".
        assertThat(tenant.execute(input).getString("errors[0].extensions.code")).isEqualTo("IDEMPOTENCY_CONFLICT");

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> "SUCCEEDED".equals(status(executionId)));
        JsonPath replay = tenant.execute(input);
        assertThat(replay.getString("data.executeAction.status")).isEqualTo("SUCCEEDED");
        assertThat(replay.getString("data.executeAction.id")).isEqualTo(executionId);
        assertThat(replay.getString("data.executeAction.responseData.object_id")).isEqualTo("kept");
        alloy.verify(1, postRequestedFor(urlEqualTo(WRITE)));
    }

    @Test
    void aKeyIsCompletedOrReleasedOnlyByItsOwnExecution() {
        String tenantId = "fence-" + UUID.randomUUID();
        ExecutionRecord owner = record(tenantId, "k");
        ExecutionRecord stranger = record(tenantId, "k");
        assertThat(repository.insertClaimingKey(owner, "fp", owner.startedAt.plusSeconds(60)).await().indefinitely())
                .isTrue();
        // Held: another execution's claim writes nothing, neither the key nor its row.
        assertThat(repository.insertClaimingKey(stranger, "fp", stranger.startedAt.plusSeconds(60))
                .await().indefinitely()).isFalse();
        assertThat(db.read(s -> repository.find(s, stranger.id)).await().indefinitely()).isNull();

        assertThat(repository.recordOutcomeCompletingKey(stranger, "{}", false).await().indefinitely()).isZero();
        assertThat(repository.recordOutcomeReleasingKey(stranger).await().indefinitely()).isZero();
        IdempotencyRecord held = db.read(s -> repository.findKey(s, tenantId, "k")).await().indefinitely();
        assertThat(held.state).isEqualTo(IdempotencyRecord.IN_FLIGHT);
        assertThat(held.executionId).isEqualTo(owner.id);

        owner.status = ExecutionStatus.SUCCEEDED;
        owner.attempts = 1;
        owner.finishedAt = Instant.now();
        assertThat(repository.recordOutcomeCompletingKey(owner, "{\"ok\":1}", false).await().indefinitely())
                .isEqualTo(1);
        IdempotencyRecord completed = db.read(s -> repository.findKey(s, tenantId, "k")).await().indefinitely();
        assertThat(completed.state).isEqualTo(IdempotencyRecord.COMPLETED);
        assertThat(completed.responseData).isEqualTo("{\"ok\":1}");
        ExecutionRecord row = db.read(s -> repository.find(s, owner.id)).await().indefinitely();
        assertThat(row.status).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(row.attempts).isEqualTo(1);
    }

    @Test
    void aKeyWhoseLifetimeIsOverIsTakenOverWithItsRow() {
        String tenantId = "takeover-" + UUID.randomUUID();
        ExecutionRecord first = record(tenantId, "k");
        assertThat(repository.insertClaimingKey(first, "fp", first.startedAt.plusSeconds(1)).await().indefinitely())
                .isTrue();
        ExecutionRecord later = record(tenantId, "k");
        later.startedAt = first.startedAt.plusSeconds(2);
        assertThat(repository.insertClaimingKey(later, "fp2", later.startedAt.plusSeconds(60)).await().indefinitely())
                .isTrue();
        IdempotencyRecord taken = db.read(s -> repository.findKey(s, tenantId, "k")).await().indefinitely();
        assertThat(taken.executionId).isEqualTo(later.id);
        assertThat(taken.fingerprint).isEqualTo("fp2");
        assertThat(db.read(s -> repository.find(s, later.id)).await().indefinitely().status)
                .isEqualTo(ExecutionStatus.UNKNOWN);
    }

    private static ExecutionRecord record(String tenantId, String key) {
        ExecutionRecord r = new ExecutionRecord();
        r.id = UUID.randomUUID();
        r.tenantId = tenantId;
        r.connectorId = "shippo";
        r.actionId = "createAddress";
        r.credentialId = "c1";
        r.status = ExecutionStatus.UNKNOWN;
        r.idempotencyKey = key;
        r.startedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return r;
    }
}
