package com.alloygateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
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
import com.alloygateway.testing.TenantClient;
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
    private static final String CREDENTIALS = """
            query($c: ID) { credentials(connectorId: $c) { id } }
            """;
    private static final String DELETE = """
            mutation($c: ID!, $id: ID!) { deleteCredential(connectorId: $c, id: $id) }
            """;

    record Foreign(String connectorId, String credentialId) {
    }

    @Inject
    SandboxJournal journal;

    @Inject
    Database db;

    @Inject
    CredentialRepository repository;

    private TenantClient a;
    private TenantClient b;
    private String bApiKey;

    @BeforeEach
    void twoTenants() {
        a = TenantClient.newTenant("tenant-a");
        b = TenantClient.newTenant("tenant-b");
        a.provision();
        b.provision();
        a.apiKeyCredential();
        bApiKey = b.apiKeyCredential();
    }

    static Stream<Arguments> foreignUses() {
        return Stream.of(
                Arguments.of("deleteCredential", (BiFunction<TenantClient, Foreign, JsonPath>) (who, f) -> who.post(
                        DELETE, Map.of("c", f.connectorId(), "id", f.credentialId()))),
                Arguments.of("executeAction", (BiFunction<TenantClient, Foreign, JsonPath>) (who, f) -> who.execute(
                        Map.of("connectorId", f.connectorId(), "actionId", "createAddress",
                                "credentialId", f.credentialId(), "requestBody", Map.of("name", "X",
                                        "street1", "1 Main St", "city", "Springfield", "zip", "12345",
                                        "country", "US")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignUses")
    void anotherTenantsCredentialIsNotFoundAndNeverReachesAlloy(String operation,
            BiFunction<TenantClient, Foreign, JsonPath> use) {
        journal.clear();

        JsonPath foreign = use.apply(a, new Foreign("shippo", bApiKey));
        JsonPath missing = use.apply(a, new Foreign("shippo", NEVER_ISSUED));

        assertThat(foreign.getString("errors[0].extensions.code")).isEqualTo("NOT_FOUND");
        // Identical but for the id of the caller's own audit row, where there is one.
        Map<String, Object> foreignExtensions = new HashMap<>(foreign.getMap("errors[0].extensions"));
        Map<String, Object> missingExtensions = new HashMap<>(missing.getMap("errors[0].extensions"));
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
        assertThat(b.post(CREDENTIALS, Map.of("c", "shippo"))
                .getList("data.credentials.id")).containsExactly(bApiKey);
    }

    @Test
    void listsShowOnlyTheCallersCredentials() {
        List<String> aAll = a.post("{ credentials { id } }", Map.of()).getList("data.credentials.id");
        List<String> aShippo = a.post(CREDENTIALS, Map.of("c", "shippo"))
                .getList("data.credentials.id");
        assertThat(aAll).hasSize(1).doesNotContain(bApiKey);
        assertThat(aShippo).isEqualTo(aAll);
    }

    @Test
    void theRightIdUnderTheWrongConnectorIsNotFoundToo() {
        String aKey = a.post(CREDENTIALS, Map.of("c", "shippo"))
                .getString("data.credentials[0].id");
        journal.clear();
        JsonPath wrongConnector = a.post(DELETE, Map.of("c", "hubspot", "id", aKey));
        assertThat(wrongConnector.getString("errors[0].extensions.code")).isEqualTo("NOT_FOUND");
        assertThat(journal.calls()).noneSatisfy(call -> assertThat(call.mentions(aKey)).isTrue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignUses")
    void anotherTenantsIdAndAnUnknownOneCostTheSameCallsAndAnswerAlikeUnderAnUnknownConnector(String operation,
            BiFunction<TenantClient, Foreign, JsonPath> use) {
        journal.clear();
        JsonPath foreign = use.apply(a, new Foreign("shippo", bApiKey));
        List<String> foreignCalls = journal.calls().stream().map(c -> c.method() + " " + c.path()).toList();
        journal.clear();
        JsonPath missing = use.apply(a, new Foreign("shippo", NEVER_ISSUED));
        List<String> missingCalls = journal.calls().stream().map(c -> c.method() + " " + c.path()).toList();
        // The same upstream work for both: the caller's own list is looked at either way.
        assertThat(foreignCalls).isEqualTo(missingCalls).isNotEmpty();

        JsonPath foreignElsewhere = use.apply(a, new Foreign("nope", bApiKey));
        JsonPath missingElsewhere = use.apply(a, new Foreign("nope", NEVER_ISSUED));
        for (JsonPath[] pair : List.of(new JsonPath[] {foreign, missing},
                new JsonPath[] {foreignElsewhere, missingElsewhere})) {
            assertThat(pair[0].getString("errors[0].extensions.code")).isEqualTo("NOT_FOUND");
            assertThat(pair[0].getString("errors[0].message")).isEqualTo(pair[1].getString("errors[0].message"));
            Map<String, Object> x = new HashMap<>(pair[0].getMap("errors[0].extensions"));
            Map<String, Object> y = new HashMap<>(pair[1].getMap("errors[0].extensions"));
            assertThat(x.remove("executionId") != null).isEqualTo(operation.equals("executeAction"));
            assertThat(y.remove("executionId") != null).isEqualTo(operation.equals("executeAction"));
            assertThat(x).isEqualTo(y);
        }
    }

    @Test
    void credentialAndExecutionByIdAreTheCallersOwnOrNull() {
        String aKey = a.post(CREDENTIALS, Map.of("c", "shippo"))
                .getString("data.credentials[0].id");
        String query = "query($id: ID!) { credential(id: $id) { id connectorId type } }";
        assertThat(a.post(query, Map.of("id", aKey)).getString("data.credential.connectorId")).isEqualTo("shippo");
        assertThat(a.post(query, Map.of("id", bApiKey)).getString("data.credential")).isNull();
        assertThat(a.post(query, Map.of("id", NEVER_ISSUED)).getString("data.credential")).isNull();
        assertThat(a.post(query, Map.of("id", "../x")).getString("errors[0].extensions.code")).isEqualTo("INVALID_INPUT");

        String bExecution = b.execute(Map.of("connectorId", "shippo", "actionId", "createAddress",
                "credentialId", bApiKey, "requestBody", Map.of("name", "X", "street1", "1 Main St",
                        "city", "Springfield", "zip", "12345", "country", "US")))
                .getString("data.executeAction.id");
        String byId = "query($id: ID!) { execution(id: $id) { id status responseData } }";
        assertThat(b.post(byId, Map.of("id", bExecution)).getString("data.execution.status")).isEqualTo("SUCCEEDED");
        assertThat(b.post(byId, Map.of("id", bExecution)).getString("data.execution.responseData")).isNull();
        assertThat(a.post(byId, Map.of("id", bExecution)).getString("data.execution")).isNull();
        assertThat(a.post(byId, Map.of("id", "not-a-uuid")).getString("errors[0].extensions.code"))
                .isEqualTo("INVALID_INPUT");
    }
}
