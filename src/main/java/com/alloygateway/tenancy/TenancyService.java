package com.alloygateway.tenancy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.alloygateway.alloy.AlloyClient;
import com.alloygateway.alloy.AlloyConfig;
import com.alloygateway.db.Database;
import com.alloygateway.graphql.ErrorCode;
import com.alloygateway.graphql.GatewayException;


import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/** Tenants and their Alloy users: one per tenant, created once, found again after any failure. */
@ApplicationScoped
public class TenancyService {

    static final int MAX_FULL_NAME = 256;
    static final String PROVISIONED_CACHE = "provisioned-tenants";
    private static final Duration WAIT_FOR_CLAIMANT = Duration.ofMillis(100);

    private final Database db;
    private final TenantUserRepository users;
    private final AlloyClient alloy;
    private final TenancyConfig config;
    private final CurrentTenant current;
    /** tenant id → Alloy user id, for provisioned tenants only (a failed look-up is not cached). */
    private final Cache provisioned;
    private final AlloyConfig alloyConfig;

    TenancyService(Database db, TenantUserRepository users, AlloyClient alloy, TenancyConfig config,
            CurrentTenant current, @CacheName(PROVISIONED_CACHE) Cache provisioned, AlloyConfig alloyConfig) {
        this.alloyConfig = alloyConfig;
        this.provisioned = provisioned;
        this.db = db;
        this.users = users;
        this.alloy = alloy;
        this.config = config;
        this.current = current;
    }

    public Uni<Me> me() {
        Tenant tenant = current.get();
        return db.read(s -> users.find(s, tenant.id())).map(user -> toMe(tenant, user));
    }

    /**
     * Gives the caller an Alloy user, once, holding no lock or connection while Alloy is asked. A short
     * transaction claims the tenant's provisioning; the claimant asks Alloy outside any transaction (the
     * username is derived from the tenant, so a retry after a lost answer finds the user Alloy already made) and
     * stores the id in a second one. Concurrent calls wait for the claimant by reading the row now and then,
     * without holding a pooled connection, and take over a claim that went stale.
     */
    public Uni<Me> createUser(String fullName) {
        Tenant tenant = current.get();
        if (fullName != null && fullName.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw GatewayException.invalidInput("/fullName", "must not contain control characters");
        }
        String name = fullName == null || fullName.isBlank() ? null : fullName.trim();
        if (name != null && name.length() > MAX_FULL_NAME) {
            throw GatewayException.invalidInput("/fullName", "must be at most " + MAX_FULL_NAME + " characters");
        }
        String username = config.usernamePrefix() + tenant.id();
        long giveUpAt = System.nanoTime() + 2 * claimLifetime().toNanos();
        return db.write(s -> users.insertIfAbsent(s, tenant, username))
                .chain(() -> provisionOnce(tenant, username, name, giveUpAt))
                .map(user -> toMe(tenant, user));
    }

    private Uni<TenantUser> provisionOnce(Tenant tenant, String username, String name, long giveUpAt) {
        Instant now = Instant.now();
        return db.write(s -> users.claim(s, tenant.id(), now, now.minus(claimLifetime()))).chain(claimed -> {
            if (claimed == 1) {
                return provision(username, name)
                        .onFailure().call(failure -> db.write(s -> users.release(s, tenant.id())))
                        .chain(userId -> db.write(s -> users.provisioned(s, tenant.id(), userId, name, Instant.now())))
                        .chain(() -> db.read(s -> users.find(s, tenant.id())));
            }
            return db.read(s -> users.find(s, tenant.id())).chain(user -> {
                if (user.provisioned()) {
                    return Uni.createFrom().item(user);
                }
                if (System.nanoTime() > giveUpAt) {
                    return Uni.createFrom().failure(new GatewayException(ErrorCode.UPSTREAM_UNAVAILABLE,
                            "Another request is still creating this tenant's Alloy user; retry",
                            Map.of("reason", "TIMEOUT")));
                }
                // Another call is provisioning: look again shortly, holding nothing meanwhile.
                return Uni.createFrom().voidItem().onItem().delayIt().by(WAIT_FOR_CLAIMANT)
                        .chain(() -> provisionOnce(tenant, username, name, giveUpAt));
            });
        });
    }

    /** How long a claim holds: a claimant's calls to Alloy end within the request deadline, twice over. */
    private Duration claimLifetime() {
        return alloyConfig.requestDeadline().multipliedBy(2);
    }

    /**
     * The caller with its Alloy user id; NOT_PROVISIONED before {@code createUser}. A tenant's Alloy user
     * never changes once set, so it is remembered (in memory, bounded) instead of read on every request.
     */
    public Uni<ProvisionedTenant> requireProvisioned() {
        Tenant tenant = current.get();
        return provisioned.<String, String> getAsync(tenant.id(), id -> db.read(s -> users.find(s, id)).map(user -> {
            if (user == null || !user.provisioned()) {
                throw new GatewayException(ErrorCode.NOT_PROVISIONED, "No Alloy user yet: call createUser first");
            }
            return user.alloyUserId;
        })).map(userId -> new ProvisionedTenant(tenant, userId));
    }

    /**
     * A tenant named by its id, with its Alloy user, for work done without the tenant's token (the browser's
     * return from an OAuth consent); NOT_PROVISIONED if it has none.
     */
    public Uni<ProvisionedTenant> provisioned(String tenantId) {
        return db.read(s -> users.find(s, tenantId)).map(user -> {
            if (user == null || !user.provisioned()) {
                throw new GatewayException(ErrorCode.NOT_PROVISIONED, "No Alloy user for this tenant");
            }
            return new ProvisionedTenant(new Tenant(user.issuer, user.subject), user.alloyUserId);
        });
    }

    private Uni<String> provision(String username, String fullName) {
        return alloy.findUserId(username).chain(existing -> {
            if (existing.isPresent()) {
                Log.infof("Alloy already has user %s for %s", existing.get(), username);
                return Uni.createFrom().item(existing.get());
            }
            return alloy.createUser(username, fullName)
                    .onFailure(AlloyClient::mayBeTakenUsername).recoverWithUni(failure -> adopt(username, failure));
        });
    }

    /**
     * After a create refused as a taken username: someone made it between our look-up and our create, so it is
     * ours by its username. A 400 may say the same (no status is documented for a taken username); where Alloy
     * then has no such user, the 400 meant something else and is what the caller gets.
     */
    private Uni<String> adopt(String username, Throwable refusal) {
        return alloy.findUserId(username).chain(found -> {
            if (found.isPresent()) {
                return Uni.createFrom().item(found.get());
            }
            return Uni.createFrom().failure(AlloyClient.isConflict(refusal)
                    ? new GatewayException(ErrorCode.INTERNAL,
                            "Alloy reported the user as existing but does not return it")
                    : refusal);
        });
    }

    private static Me toMe(Tenant tenant, TenantUser user) {
        boolean provisioned = user != null && user.provisioned();
        return new Me(tenant.id(), tenant.subject(), provisioned, provisioned ? user.alloyUserId : null);
    }
}
