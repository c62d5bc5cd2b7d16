package com.alloygateway.tenancy;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;

/** Tenants and their Alloy users. Every method runs in the session it is given. */
@ApplicationScoped
public class TenantUserRepository {

    public Uni<TenantUser> find(Mutiny.Session session, String tenantId) {
        return session.find(TenantUser.class, tenantId);
    }

    /** Inserts the tenant's row unless it exists; safe under concurrency (no unique-key failure). */
    public Uni<Integer> insertIfAbsent(Mutiny.Session session, Tenant tenant, String alloyUsername) {
        return session.createNativeQuery("""
                insert into tenant_user (tenant_id, issuer, subject, alloy_username, created_at)
                values (:id, :issuer, :subject, :username, :now)
                on conflict (tenant_id) do nothing""")
                .setParameter("id", tenant.id())
                .setParameter("issuer", tenant.issuer())
                .setParameter("subject", tenant.subject())
                .setParameter("username", alloyUsername)
                .setParameter("now", Instant.now())
                .executeUpdate();
    }

    /**
     * Claims the tenant's provisioning: 1 if this call may provision now (not provisioned, and no claim or only
     * one older than {@code staleBefore}), else 0.
     */
    public Uni<Integer> claim(Mutiny.Session session, String tenantId, Instant now, Instant staleBefore) {
        return session.createMutationQuery("""
                update TenantUser set provisioningClaimedAt = :now
                where tenantId = :tenant and alloyUserId is null
                  and (provisioningClaimedAt is null or provisioningClaimedAt < :stale)""")
                .setParameter("now", now)
                .setParameter("tenant", tenantId)
                .setParameter("stale", staleBefore)
                .executeUpdate();
    }

    /** Stores the Alloy user, unless one is stored already (then the row keeps it), and ends the claim. */
    public Uni<Integer> provisioned(Mutiny.Session session, String tenantId, String alloyUserId, String fullName,
            Instant now) {
        return session.createMutationQuery("""
                update TenantUser set alloyUserId = :user, fullName = :name, provisionedAt = :now,
                    provisioningClaimedAt = null
                where tenantId = :tenant and alloyUserId is null""")
                .setParameter("user", alloyUserId)
                .setParameter("name", fullName)
                .setParameter("now", now)
                .setParameter("tenant", tenantId)
                .executeUpdate();
    }

    /** Gives a claim up (the call to Alloy failed), so the next call may try at once. */
    public Uni<Integer> release(Mutiny.Session session, String tenantId) {
        return session.createMutationQuery(
                "update TenantUser set provisioningClaimedAt = null where tenantId = :tenant and alloyUserId is null")
                .setParameter("tenant", tenantId)
                .executeUpdate();
    }
}
