package com.alloygateway.credentials;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import com.alloygateway.db.Database;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Credential ownership and the audit of refused attempts. Every method runs in the session it is given, except
 * {@link #isRecordedAs}, one statement of its own on executeAction's long path (its warm path checks the same row
 * inside the statement that writes the execution: {@code ExecutionRepository#insertIfRecordedOwner}).
 */
@ApplicationScoped
public class CredentialRepository {

    private final Database db;

    CredentialRepository(Database db) {
        this.db = db;
    }

    /** Whether the credential is recorded as the tenant's, for the connector: one statement, one round trip. */
    public Uni<Boolean> isRecordedAs(String credentialId, String tenantId, String connectorId) {
        return db.statement("""
                select 1 from credential_ownership
                where credential_id = $1 and tenant_id = $2 and connector_id = $3""",
                Tuple.of(credentialId, tenantId, connectorId))
                .map(rows -> rows.size() == 1);
    }

    public Uni<CredentialOwnership> find(Mutiny.Session session, String credentialId) {
        return session.find(CredentialOwnership.class, credentialId);
    }

    public Uni<List<CredentialOwnership>> findAll(Mutiny.Session session, List<String> credentialIds) {
        if (credentialIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return session.createSelectionQuery("from CredentialOwnership where credentialId in :ids",
                CredentialOwnership.class)
                .setParameter("ids", credentialIds)
                .getResultList();
    }

    /** Records ownership unless the credential is already recorded (for anyone). */
    public Uni<Integer> recordIfAbsent(Mutiny.Session session, CredentialOwnership o) {
        return session.createNativeQuery("""
                insert into credential_ownership (credential_id, tenant_id, connector_id, authentication_type, recorded_at)
                values (:id, :tenant, :connector, :type, :at)
                on conflict (credential_id) do nothing""")
                .setParameter("id", o.credentialId)
                .setParameter("tenant", o.tenantId)
                .setParameter("connector", o.connectorId)
                .setParameter("type", o.authenticationType)
                .setParameter("at", o.recordedAt)
                .executeUpdate();
    }

    public Uni<Integer> delete(Mutiny.Session session, String tenantId, String credentialId) {
        return session.createMutationQuery(
                "delete from CredentialOwnership where credentialId = :id and tenantId = :tenant")
                .setParameter("id", credentialId)
                .setParameter("tenant", tenantId)
                .executeUpdate();
    }

    public Uni<Void> audit(Mutiny.Session session, AuditEvent event) {
        return session.persist(event);
    }

    public Uni<List<AuditEvent>> auditOf(Mutiny.Session session, String tenantId) {
        return session.createSelectionQuery("from AuditEvent where tenantId = :tenant order by occurredAt desc",
                AuditEvent.class)
                .setParameter("tenant", tenantId)
                .getResultList();
    }
}
