package com.alloygateway.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.alloygateway.sandbox.SandboxJournal;
import com.alloygateway.testing.GraphQL;
import com.alloygateway.testing.TenantClient;
import com.alloygateway.testing.Tokens;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class TenancyTest {

    @Inject
    SandboxJournal journal;

    @Test
    void meBeforeAndAfterProvisioning() {
        TenantClient alice = TenantClient.newTenant("alice");
        String expectedTenant = new Tenant(Tokens.ISSUER, alice.subject).id();

        GraphQL.ok(alice.token, "{ me { tenant subject provisioned alloyUserId } }", Map.of())
                .body("data.me.tenant", equalTo(expectedTenant))
                .body("data.me.subject", equalTo(alice.subject))
                .body("data.me.provisioned", equalTo(false))
                .body("data.me.alloyUserId", nullValue());

        String userId = alice.provision();

        assertThat(userId).matches("[0-9a-f]{24}");
        GraphQL.ok(alice.token, "{ me { tenant provisioned alloyUserId } }", Map.of())
                .body("data.me.tenant", equalTo(expectedTenant))
                .body("data.me.provisioned", equalTo(true))
                .body("data.me.alloyUserId", equalTo(userId));
    }

    @Test
    void createUserIsIdempotentAndSendsNoPersonalDataInTheUsername() {
        TenantClient bob = TenantClient.newTenant("bob@example.com");
        journal.clear();

        String first = GraphQL.ok(bob.token, """
                mutation($name: String) { createUser(fullName: $name) { alloyUserId } }
                """, Map.of("name", "Bob Builder")).extract().path("data.createUser.alloyUserId");
        String second = bob.provision();

        assertThat(second).isEqualTo(first);
        List<SandboxJournal.Call> calls = journal.calls();
        assertThat(calls).filteredOn(c -> c.method().equals("POST") && c.path().equals("/alloy-sandbox/users"))
                .hasSize(1);
        assertThat(calls).allSatisfy(c -> assertThat(c.path()).doesNotContain("bob@example.com"));
        String expectedUsername = "gw-" + new Tenant(Tokens.ISSUER, bob.subject).id();
        assertThat(calls).anySatisfy(c -> assertThat(c.path()).isEqualTo("/alloy-sandbox/users/" + expectedUsername));
    }

    @Test
    void tenParallelCreateUsersMakeOneAlloyUser() throws Exception {
        TenantClient carol = TenantClient.newTenant("carol");
        journal.clear();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<String> ids = new ArrayList<>();
        try {
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Callable<String> call = carol::provision;
                calls.add(pool.submit(call));
            }
            for (Future<String> call : calls) {
                ids.add(call.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(ids).hasSize(10).containsOnly(ids.get(0));
        assertThat(journal.calls())
                .filteredOn(c -> c.method().equals("POST") && c.path().equals("/alloy-sandbox/users"))
                .hasSize(1);
    }

    @Test
    void userScopedOperationsNeedProvisioningFirst() {
        TenantClient dave = TenantClient.newTenant("dave");
        GraphQL.post(dave.token, "{ credentials { id } }")
                .body("errors[0].extensions.code", equalTo("NOT_PROVISIONED"));
        GraphQL.post(dave.token, """
                mutation($c: ID!, $id: ID!) { deleteCredential(connectorId: $c, id: $id) }
                """, Map.of("c", "shippo", "id", "0123456789abcdef01234567"))
                .body("errors[0].extensions.code", equalTo("NOT_PROVISIONED"));
        GraphQL.post(dave.token, """
                mutation($input: CreateCredentialInput!) { createCredential(input: $input) { credentialId } }
                """, Map.of("input", Map.of("connectorId", "shippo", "authenticationType", "apiKey",
                "data", Map.of("apiKey", "shippo_test_0123456789"))))
                .body("errors[0].extensions.code", equalTo("NOT_PROVISIONED"));
    }

    @Test
    void aTooLongFullNameIsInvalidInputAndChangesNothing() {
        TenantClient erin = TenantClient.newTenant("erin");
        GraphQL.post(erin.token, "mutation($n: String) { createUser(fullName: $n) { provisioned } }",
                Map.of("n", "x".repeat(300)))
                .body("errors[0].extensions.code", equalTo("INVALID_INPUT"))
                .body("errors[0].extensions.violations[0].path", equalTo("/fullName"));
        GraphQL.ok(erin.token, "{ me { provisioned } }", Map.of()).body("data.me.provisioned", equalTo(false));
    }

    @Test
    void theTenantIsTheIssuerAndTheClaimTogether() {
        assertThat(new Tenant("https://a.example", "42").id())
                .isNotEqualTo(new Tenant("https://b.example", "42").id())
                .isEqualTo(new Tenant("https://a.example", "42").id())
                .matches("[0-9a-f]{32}");
        // No way to glue issuer and subject into the same string twice.
        assertThat(new Tenant("https://a.example/x", "y").id()).isNotEqualTo(new Tenant("https://a.example", "x/y").id());
    }

    @Test
    void meAlwaysAnswersFromTheToken() {
        TenantClient frank = TenantClient.newTenant("frank");
        GraphQL.ok(frank.token, "{ me { subject } }", Map.of())
                .body("data.me.subject", matchesPattern("frank-.*"));
    }
}
