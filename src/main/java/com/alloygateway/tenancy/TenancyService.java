package com.alloygateway.tenancy;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.alloygateway.alloy.AlloyClient;
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

    private final Database db;
    private final TenantUserRepository users;
    private final AlloyClient alloy;
    private final TenancyConfig config;
    private final CurrentTenant current;
    /** tenant id → Alloy user id, for provisioned tenants only (a failed look-up is not cached). */
    private final Cache provisioned;

    TenancyService(Database db, TenantUserRepository users, AlloyClient alloy, TenancyConfig config,
            CurrentTenant current, @CacheName(PROVISIONED_CACHE) Cache provisioned) {
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
     * Gives the caller an Alloy user, once. The username is derived from the tenant, so a retry after a lost
     * answer finds the user Alloy already made; the tenant's row is locked meanwhile, so concurrent calls
     * wait for the first and then return its user.
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
        return db.write(s -> users.insertIfAbsent(s, tenant, username)
                .chain(() -> users.lock(s, tenant.id()))
                .chain(user -> user.provisioned()
                        ? Uni.createFrom().item(user)
                        : provision(user, name).map(userId -> {
                            user.alloyUserId = userId;
                            user.fullName = name;
                            user.provisionedAt = Instant.now();
                            return user;
                        })))
                .map(user -> toMe(tenant, user));
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

    private Uni<String> provision(TenantUser user, String fullName) {
        return alloy.findUserId(user.alloyUsername).chain(existing -> {
            if (existing.isPresent()) {
                Log.infof("Tenant %s: Alloy already has user %s", user.tenantId, existing.get());
                return Uni.createFrom().item(existing.get());
            }
            return alloy.createUser(user.alloyUsername, fullName)
                    // Someone made it between our look-up and our create: it is ours by its username.
                    .onFailure(AlloyClient::isConflict).recoverWithUni(() -> alloy.findUserId(user.alloyUsername)
                            .map(found -> found.orElseThrow(() -> new GatewayException(ErrorCode.INTERNAL,
                                    "Alloy reported the user as existing but does not return it"))));
        });
    }

    private static Me toMe(Tenant tenant, TenantUser user) {
        boolean provisioned = user != null && user.provisioned();
        return new Me(tenant.id(), tenant.subject(), provisioned, provisioned ? user.alloyUserId : null);
    }
}
