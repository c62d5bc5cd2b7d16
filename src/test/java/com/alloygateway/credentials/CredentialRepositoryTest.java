package com.alloygateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.alloygateway.db.Database;
import com.alloygateway.tenancy.Tenant;
import com.alloygateway.tenancy.TenantUserRepository;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.vertx.RunOnVertxContext;
import io.quarkus.test.vertx.UniAsserter;

/** The repositories against the real PostgreSQL, on the Vert.x context as in production. */
@QuarkusTest
class CredentialRepositoryTest {

    @Inject
    Database db;

    @Inject
    CredentialRepository credentials;

    @Inject
    TenantUserRepository tenants;

    @Test
    @RunOnVertxContext
    void theFirstRecordedOwnerKeepsTheCredential(UniAsserter asserter) {
        Tenant first = new Tenant("https://issuer.test", "first-" + UUID.randomUUID());
        Tenant second = new Tenant("https://issuer.test", "second-" + UUID.randomUUID());
        String credentialId = UUID.randomUUID().toString().replace("-", "").substring(0, 24);

        asserter.execute(() -> db.write(s -> tenants.insertIfAbsent(s, first, "gw-" + first.id())
                .chain(() -> tenants.insertIfAbsent(s, second, "gw-" + second.id()))));
        asserter.assertEquals(() -> db.write(s -> credentials.recordIfAbsent(s,
                CredentialOwnership.of(credentialId, first.id(), "shippo", "apiKey"))), 1);
        asserter.assertEquals(() -> db.write(s -> credentials.recordIfAbsent(s,
                CredentialOwnership.of(credentialId, second.id(), "shippo", "apiKey"))), 0);
        asserter.assertThat(() -> db.read(s -> credentials.find(s, credentialId)),
                owner -> assertThat(owner.tenantId).isEqualTo(first.id()));
        // Only the owner's delete removes it.
        asserter.assertEquals(() -> db.write(s -> credentials.delete(s, second.id(), credentialId)), 0);
        asserter.assertEquals(() -> db.write(s -> credentials.delete(s, first.id(), credentialId)), 1);
        asserter.assertThat(() -> db.read(s -> credentials.find(s, credentialId)), gone -> assertThat(gone).isNull());
    }

    @Test
    @RunOnVertxContext
    void findAllReturnsOnlyRecordedIds(UniAsserter asserter) {
        Tenant tenant = new Tenant("https://issuer.test", "all-" + UUID.randomUUID());
        String known = UUID.randomUUID().toString();
        asserter.execute(() -> db.write(s -> tenants.insertIfAbsent(s, tenant, "gw-" + tenant.id())
                .chain(() -> credentials.recordIfAbsent(s, CredentialOwnership.of(known, tenant.id(), "slack",
                        "oauth2")))));
        asserter.assertThat(() -> db.read(s -> credentials.findAll(s, List.of(known, "unknown-id"))),
                found -> assertThat(found).extracting(o -> o.credentialId).containsExactly(known));
        asserter.assertThat(() -> db.read(s -> credentials.findAll(s, List.of())),
                found -> assertThat(found).isEmpty());
    }

    @Test
    @RunOnVertxContext
    void insertingATenantTwiceIsHarmless(UniAsserter asserter) {
        Tenant tenant = new Tenant("https://issuer.test", "twice-" + UUID.randomUUID());
        asserter.assertEquals(() -> db.write(s -> tenants.insertIfAbsent(s, tenant, "gw-" + tenant.id())), 1);
        asserter.assertEquals(() -> db.write(s -> tenants.insertIfAbsent(s, tenant, "gw-" + tenant.id())), 0);
        asserter.assertThat(() -> db.read(s -> tenants.find(s, tenant.id())), row -> {
            assertThat(row.issuer).isEqualTo("https://issuer.test");
            assertThat(row.provisioned()).isFalse();
        });
    }
}
