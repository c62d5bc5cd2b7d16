package com.alloygateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.alloygateway.db.Database;
import com.alloygateway.sandbox.SandboxJournal;
import com.alloygateway.tenancy.Tenant;
import com.alloygateway.testing.Gateway;
import com.alloygateway.testing.Tokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Tenant A with tenant B's ids, for every user-scoped operation: the same NOT_FOUND as an id that does not
 * exist, an audit row in A's own log, nothing of B's shown, and no call to Alloy carrying B's id.
 * Every new user-scoped resolver gets a row in {@link #foreignUses()}.
 */
@QuarkusTest
class IsolationTest {

    private static final String NEVER_ISSUED = "ffffffffffffffffffffffff";

    record Foreign(String connectorId, String credentialId) {
    }

    @Inject
    SandboxJournal journal;

    @Inject
    Database db;

    @Inject
    CredentialRepository repository;

    private Gateway a;
    private Gateway b;
    private String bApiKey;

    @BeforeEach
    void twoTenants() {
        a = Gateway.newTenant("tenant-a");
        b = Gateway.newTenant("tenant-b");
        a.provision();
        b.provision();
        a.apiKeyCredential();
        bApiKey = b.apiKeyCredential();
    }

    static Stream<Arguments> foreignUses() {
        return Stream.of(
                Arguments.of("deleteCredential", (BiFunction<Gateway, Foreign, JsonPath>) (who, f) -> who.post(
                        "mutation($c: ID!, $id: ID!) { deleteCredential(connectorId: $c, id: $id) }",
                        Map.of("c", f.connectorId(), "id", f.credentialId()))),
                Arguments.of("executeAction", (BiFunction<Gateway, Foreign, JsonPath>) (who, f) -> who.execute(
                        Map.of("connectorId", f.connectorId(), "actionId", "createAddress",
                                "credentialId", f.credentialId(), "requestBody", Map.of("name", "X",
                                        "street1", "1 Main St", "city", "Springfield", "zip", "12345",
                                        "country", "US")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignUses")
    void anotherTenantsCredentialIsNotFoundAndNeverReachesAlloy(String operation,
            BiFunction<Gateway, Foreign, JsonPath> use) {
        journal.clear();

        JsonPath foreign = use.apply(a, new Foreign("shippo", bApiKey));
        JsonPath missing = use.apply(a, new Foreign("shippo", NEVER_ISSUED));

        assertThat(foreign.getString("errors[0].extensions.code")).isEqualTo("NOT_FOUND");
        // Identical but for the id of the caller's own audit row, where there is one.
        Map<String, Object> foreignExtensions = new java.util.HashMap<>(foreign.getMap("errors[0].extensions"));
        Map<String, Object> missingExtensions = new java.util.HashMap<>(missing.getMap("errors[0].extensions"));
        assertThat(foreignExtensions.remove("executionId") != null)
                .isEqualTo(missingExtensions.remove("executionId") != null);
        assertThat(foreignExtensions).isEqualTo(missingExtensions);
        assertThat(foreign.getString("errors[0].message")).isEqualTo(missing.getString("errors[0].message"));
        assertThat(journal.calls()).noneSatisfy(call -> assertThat(call.mentions(bApiKey)).isTrue());

        if (operation.equals("executeAction")) {
            // The refusal is in A's own execution log, as REJECTED.
            JsonPath log = a.post("{ executions(status: REJECTED) { edges { node { id credentialId } } } }", Map.of());
            assertThat(log.getList("data.executions.edges.node.credentialId")).contains(bApiKey);
            assertThat(log.getList("data.executions.edges.node.id"))
                    .contains(foreign.getString("errors[0].extensions.executionId"));
            assertThat(b.post("{ executions { edges { node { id } } } }", Map.of())
                    .getList("data.executions.edges")).isEmpty();
        } else {
            String tenantA = new Tenant(Tokens.ISSUER, a.subject).id();
            List<AuditEvent> audit = db.read(s -> repository.auditOf(s, tenantA)).await().indefinitely();
            assertThat(audit).anySatisfy(e -> {
                assertThat(e.kind).isEqualTo(AuditEvent.CREDENTIAL_DENIED);
                assertThat(e.operation).isEqualTo(operation);
                assertThat(e.targetId).isEqualTo(bApiKey);
            });
        }
        // B's credential is untouched.
        assertThat(b.post("{ credentials(connectorId: \"shippo\") { id } }", Map.of())
                .getList("data.credentials.id")).containsExactly(bApiKey);
    }

    @Test
    void listsShowOnlyTheCallersCredentials() {
        List<String> aAll = a.post("{ credentials { id } }", Map.of()).getList("data.credentials.id");
        List<String> aShippo = a.post("{ credentials(connectorId: \"shippo\") { id } }", Map.of())
                .getList("data.credentials.id");
        assertThat(aAll).hasSize(1).doesNotContain(bApiKey);
        assertThat(aShippo).isEqualTo(aAll);
    }

    @Test
    void theRightIdUnderTheWrongConnectorIsNotFoundToo() {
        String aKey = a.post("{ credentials(connectorId: \"shippo\") { id } }", Map.of())
                .getString("data.credentials[0].id");
        journal.clear();
        JsonPath wrongConnector = a.post("mutation($id: ID!) { deleteCredential(connectorId: \"hubspot\", id: $id) }",
                Map.of("id", aKey));
        assertThat(wrongConnector.getString("errors[0].extensions.code")).isEqualTo("NOT_FOUND");
        assertThat(journal.calls()).noneSatisfy(call -> assertThat(call.mentions(aKey)).isTrue());
    }
}
