package com.alloygateway.execution;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;

/** The execution log and idempotency records. Every method runs in the session it is given. */
@ApplicationScoped
public class ExecutionRepository {

    public Uni<Void> insert(Mutiny.Session session, ExecutionRecord record) {
        return session.persist(record);
    }

    /** Writes an execution's outcome in one statement. */
    public Uni<Integer> recordOutcome(Mutiny.Session session, ExecutionRecord r) {
        return session.createMutationQuery("""
                update ExecutionRecord set status = :status, upstreamStatus = :upstream, attempts = :attempts,
                    durationMs = :duration, errorCode = :code, errorSource = :source, finishedAt = :finished
                where id = :id""")
                .setParameter("status", r.status)
                .setParameter("upstream", r.upstreamStatus)
                .setParameter("attempts", r.attempts)
                .setParameter("duration", r.durationMs)
                .setParameter("code", r.errorCode)
                .setParameter("source", r.errorSource)
                .setParameter("finished", r.finishedAt)
                .setParameter("id", r.id)
                .executeUpdate();
    }

    public Uni<ExecutionRecord> find(Mutiny.Session session, UUID id) {
        return session.find(ExecutionRecord.class, id);
    }

    /**
     * One page of a tenant's executions, newest first, strictly after the cursor position
     * ({@code beforeStartedAt}, {@code beforeId}) when given. Asks for {@code limit} rows.
     */
    public Uni<List<ExecutionRecord>> page(Mutiny.Session session, String tenantId, String connectorId,
            String actionId, ExecutionStatus status, Instant beforeStartedAt, UUID beforeId, int limit) {
        StringBuilder hql = new StringBuilder("from ExecutionRecord where tenantId = :tenant");
        if (connectorId != null) {
            hql.append(" and connectorId = :connector");
        }
        if (actionId != null) {
            hql.append(" and actionId = :action");
        }
        if (status != null) {
            hql.append(" and status = :status");
        }
        if (beforeStartedAt != null) {
            hql.append(" and (startedAt < :at or (startedAt = :at and id < :id))");
        }
        hql.append(" order by startedAt desc, id desc");
        Mutiny.SelectionQuery<ExecutionRecord> query = session
                .createSelectionQuery(hql.toString(), ExecutionRecord.class)
                .setParameter("tenant", tenantId)
                .setMaxResults(limit);
        if (connectorId != null) {
            query.setParameter("connector", connectorId);
        }
        if (actionId != null) {
            query.setParameter("action", actionId);
        }
        if (status != null) {
            query.setParameter("status", status);
        }
        if (beforeStartedAt != null) {
            query.setParameter("at", beforeStartedAt).setParameter("id", beforeId);
        }
        return query.getResultList();
    }

    public Uni<IdempotencyRecord> findKey(Mutiny.Session session, String tenantId, String key) {
        return session.find(IdempotencyRecord.class, new IdempotencyRecord.Key(tenantId, key));
    }

    /**
     * Claims the key for a new execution: inserts it, or takes over a record whose 24 hours are over.
     * Returns 1 when claimed, 0 when someone holds the key.
     */
    public Uni<Integer> claimKey(Mutiny.Session session, String tenantId, String key, String fingerprint,
            UUID executionId, Instant now, Instant expiresAt) {
        return session.createNativeQuery("""
                insert into idempotency_record
                    (tenant_id, idempotency_key, fingerprint, execution_id, state, response_data, created_at, expires_at)
                values (:tenant, :key, :fingerprint, :execution, 'IN_FLIGHT', null, :now, :expires)
                on conflict (tenant_id, idempotency_key) do update
                    set fingerprint = excluded.fingerprint, execution_id = excluded.execution_id,
                        state = 'IN_FLIGHT', response_data = null,
                        created_at = excluded.created_at, expires_at = excluded.expires_at
                    where idempotency_record.expires_at <= :now""")
                .setParameter("tenant", tenantId)
                .setParameter("key", key)
                .setParameter("fingerprint", fingerprint)
                .setParameter("execution", executionId)
                .setParameter("now", now)
                .setParameter("expires", expiresAt)
                .executeUpdate();
    }

    /**
     * Completes the key with its execution's answer. Fenced by the execution id: a key since taken over by
     * another execution (its record expired) is left alone. Returns 1 when completed.
     */
    public Uni<Integer> completeKey(Mutiny.Session session, String tenantId, String key, UUID executionId,
            String responseData, boolean responseOmitted) {
        return session.createMutationQuery("""
                update IdempotencyRecord set state = :completed, responseData = :data, responseOmitted = :omitted
                where tenantId = :tenant and idempotencyKey = :key and executionId = :execution""")
                .setParameter("completed", IdempotencyRecord.COMPLETED)
                .setParameter("data", responseData)
                .setParameter("omitted", responseOmitted)
                .setParameter("tenant", tenantId)
                .setParameter("key", key)
                .setParameter("execution", executionId)
                .executeUpdate();
    }

    /**
     * Frees a key whose execution was never sent, so the same key may be tried again; fenced by the execution
     * id like {@link #completeKey}.
     */
    public Uni<Integer> releaseKey(Mutiny.Session session, String tenantId, String key, UUID executionId) {
        return session.createMutationQuery("""
                delete from IdempotencyRecord
                where tenantId = :tenant and idempotencyKey = :key and executionId = :execution""")
                .setParameter("tenant", tenantId)
                .setParameter("key", key)
                .setParameter("execution", executionId)
                .executeUpdate();
    }

    public Uni<Integer> purgeExpired(Mutiny.Session session, Instant now) {
        return session.createMutationQuery("delete from IdempotencyRecord where expiresAt <= :now")
                .setParameter("now", now)
                .executeUpdate();
    }
}
