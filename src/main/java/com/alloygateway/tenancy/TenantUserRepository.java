package com.alloygateway.tenancy;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.LockMode;
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

    /** The row, locked until the transaction ends: provisioning of one tenant happens once at a time. */
    public Uni<TenantUser> lock(Mutiny.Session session, String tenantId) {
        return session.find(TenantUser.class, tenantId, LockMode.PESSIMISTIC_WRITE);
    }
}
