package com.alloygateway.execution;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import com.alloygateway.db.Database;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The execution log and idempotency records. The writes of an execution are one SQL statement each (one round
 * trip, atomic: a key is claimed together with its row, and settled together with the outcome); reads and the
 * purge run in the Hibernate Reactive session they are given.
 */
@ApplicationScoped
public class ExecutionRepository {

    /** The columns of a new row, {@code $1} to {@code $14} in {@link #newRow}'s order. */
    private static final String COLUMNS = """
            id, tenant_id, connector_id, action_id, credential_id, status, upstream_status, attempts, duration_ms,
            error_code, error_source, idempotency_key, started_at, finished_at""";

    private static final String INSERT = "insert into execution (" + COLUMNS + ") values "
            + "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

    /**
     * Claims the key (inserts it, or takes over a record whose lifetime is over) and, only if claimed, inserts the
     * row: both in one statement, so both or neither. {@code $15} is the fingerprint, {@code $16} the expiry; the
     * state is {@link IdempotencyRecord}'s own name for it.
     */
    private static final String CLAIM_AND_INSERT = ("""
            with claimed as (
                insert into idempotency_record
                    (tenant_id, idempotency_key, fingerprint, execution_id, state, response_data, response_omitted,
                     created_at, expires_at)
                values ($2, $12, $15, $1, '%1$s', null, false, $13, $16)
                on conflict (tenant_id, idempotency_key) do update
                    set fingerprint = excluded.fingerprint, execution_id = excluded.execution_id,
                        state = '%1$s', response_data = null, response_omitted = false,
                        created_at = excluded.created_at, expires_at = excluded.expires_at
                    where idempotency_record.expires_at <= excluded.created_at
                returning 1)
            insert into execution (""" + COLUMNS + """
            )
            select $1::uuid, $2::varchar, $3::varchar, $4::varchar, $5::varchar, $6::varchar, $7::integer,
                $8::integer, $9::integer, $10::varchar, $11::varchar, $12::varchar, $13::timestamptz, $14::timestamptz
            from claimed""").formatted(IdempotencyRecord.IN_FLIGHT);

    /** An outcome, {@code $1} the id and {@code $2} to {@code $8} as in {@link #outcome}. */
    private static final String OUTCOME = """
            update execution set status = $2, upstream_status = $3, attempts = $4, duration_ms = $5,
                error_code = $6, error_source = $7, finished_at = $8
            where id = $1""";

    /**
     * The outcome and the key's answer in one statement, fenced by the execution id: a key since taken over by
     * another execution (its record expired) is left alone. {@code $9} tenant, {@code $10} key, {@code $11} the
     * answer kept for replays, {@code $12} whether it was left out.
     */
    private static final String OUTCOME_COMPLETING_KEY = "with outcome as (" + OUTCOME + " returning 1) " + """
            update idempotency_record set state = '%s', response_data = $11, response_omitted = $12
            where tenant_id = $9 and idempotency_key = $10 and execution_id = $1"""
            .formatted(IdempotencyRecord.COMPLETED);

    /** The outcome, and the key freed for another try (nothing ran), in one statement, fenced like the above. */
    private static final String OUTCOME_RELEASING_KEY = "with outcome as (" + OUTCOME + " returning 1) " + """
            delete from idempotency_record where tenant_id = $9 and idempotency_key = $10 and execution_id = $1""";

    private final Database db;

    ExecutionRepository(Database db) {
        this.db = db;
    }

    /** Writes a new row: one statement. */
    public Uni<Void> insert(ExecutionRecord record) {
        return db.statement(INSERT, newRow(record)).replaceWithVoid();
    }

    /**
     * Claims the record's key for it and writes the row, in one statement; false, with nothing written, when
     * another request holds the key.
     */
    public Uni<Boolean> insertClaimingKey(ExecutionRecord record, String fingerprint, Instant expiresAt) {
        return db.statement(CLAIM_AND_INSERT, newRow(record).addValue(fingerprint).addValue(utc(expiresAt)))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Writes an execution's outcome: one statement. */
    public Uni<Void> recordOutcome(ExecutionRecord r) {
        return db.statement(OUTCOME, outcome(r)).replaceWithVoid();
    }

    /** Writes the outcome and completes the key with the answer; 1 when the key was still this execution's. */
    public Uni<Integer> recordOutcomeCompletingKey(ExecutionRecord r, String responseData, boolean responseOmitted) {
        return db.statement(OUTCOME_COMPLETING_KEY, outcome(r).addValue(r.tenantId).addValue(r.idempotencyKey)
                .addValue(responseData).addValue(responseOmitted)).map(rows -> rows.rowCount());
    }

    /** Writes the outcome and frees the key; 1 when the key was still this execution's. */
    public Uni<Integer> recordOutcomeReleasingKey(ExecutionRecord r) {
        return db.statement(OUTCOME_RELEASING_KEY, outcome(r).addValue(r.tenantId).addValue(r.idempotencyKey))
                .map(rows -> rows.rowCount());
    }

    private static Tuple newRow(ExecutionRecord r) {
        return Tuple.tuple(Arrays.asList(r.id, r.tenantId, r.connectorId, r.actionId, r.credentialId, r.status.name(),
                r.upstreamStatus, r.attempts, r.durationMs, r.errorCode, r.errorSource, r.idempotencyKey,
                utc(r.startedAt), utc(r.finishedAt)));
    }

    private static Tuple outcome(ExecutionRecord r) {
        return Tuple.tuple(Arrays.asList(r.id, r.status.name(), r.upstreamStatus, r.attempts, r.durationMs,
                r.errorCode, r.errorSource, utc(r.finishedAt)));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
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

    public Uni<Integer> purgeExpired(Mutiny.Session session, Instant now) {
        return session.createMutationQuery("delete from IdempotencyRecord where expiresAt <= :now")
                .setParameter("now", now)
                .executeUpdate();
    }
}
