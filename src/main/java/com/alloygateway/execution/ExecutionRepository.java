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
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
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

    /** A new row's values as a {@code select} list, typed (an {@code insert ... select} does not infer them). */
    private static final String ROW = """
            $1::uuid, $2::varchar, $3::varchar, $4::varchar, $5::varchar, $6::varchar, $7::integer, $8::integer,
            $9::integer, $10::varchar, $11::varchar, $12::varchar, $13::timestamptz, $14::timestamptz""";

    /**
     * Claims the key (inserts it, or takes over a record whose lifetime is over), as the common table expression
     * {@code claimed}: once, or with {@code %2$s} a {@code from} clause, once per row of it (at most one here).
     * {@code $15} is the fingerprint, {@code $16} the expiry; the state is {@link IdempotencyRecord}'s own name.
     */
    private static final String CLAIM = """
            claimed as (
                insert into idempotency_record
                    (tenant_id, idempotency_key, fingerprint, execution_id, state, response_data, response_omitted,
                     created_at, expires_at)
                select $2::varchar, $12::varchar, $15::varchar, $1::uuid, '%1$s', null, false, $13::timestamptz,
                    $16::timestamptz %2$s
                on conflict (tenant_id, idempotency_key) do update
                    set fingerprint = excluded.fingerprint, execution_id = excluded.execution_id,
                        state = '%1$s', response_data = null, response_omitted = false,
                        created_at = excluded.created_at, expires_at = excluded.expires_at
                    where idempotency_record.expires_at <= excluded.created_at
                returning 1)""";

    /** The key claimed and, only if claimed, the row inserted: one statement, so both or neither. */
    private static final String CLAIM_AND_INSERT = "with " + CLAIM.formatted(IdempotencyRecord.IN_FLIGHT, "")
            + " insert into execution (" + COLUMNS + ") select " + ROW + " from claimed";

    /**
     * The credential ({@code $5}) recorded as the row's tenant's ({@code $2}) for its connector ({@code $3}), as
     * the common table expression {@code owner}: one row or none (the credential id is the table's key).
     */
    private static final String RECORDED_OWNER = """
            owner as (select 1 from credential_ownership
                where credential_id = $5::varchar and tenant_id = $2::varchar and connector_id = $3::varchar)""";

    /** What the statements that check ownership answer: whether it is recorded, and whether the row was written. */
    private static final String OWNED_AND_WRITTEN =
            " select (select count(*) from owner) as owned, (select count(*) from written) as written";

    /** The row inserted only if the credential is recorded as the tenant's: the check and the write as one. */
    private static final String INSERT_IF_OWNED = "with " + RECORDED_OWNER + ", written as (insert into execution ("
            + COLUMNS + ") select " + ROW + " from owner returning 1)" + OWNED_AND_WRITTEN;

    /** As {@link #INSERT_IF_OWNED}, the key claimed with the row (both or neither), and only for the owner. */
    private static final String CLAIM_AND_INSERT_IF_OWNED = "with " + RECORDED_OWNER + ", "
            + CLAIM.formatted(IdempotencyRecord.IN_FLIGHT, "from owner") + ", written as (insert into execution ("
            + COLUMNS + ") select " + ROW + " from claimed returning 1)" + OWNED_AND_WRITTEN;

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

    /**
     * Writes the row, its key claimed with it if it has one, only if its credential is recorded as its tenant's
     * for its connector: the check and the writes in one statement. Not {@code owned}: nothing written (the
     * caller looks further); owned but not {@code written}: another request holds the key.
     */
    public Uni<OwnedStart> insertIfRecordedOwner(ExecutionRecord record, String fingerprint, Instant expiresAt) {
        Uni<RowSet<Row>> written = record.idempotencyKey == null
                ? db.statement(INSERT_IF_OWNED, newRow(record))
                : db.statement(CLAIM_AND_INSERT_IF_OWNED,
                        newRow(record).addValue(fingerprint).addValue(utc(expiresAt)));
        return written.map(rows -> {
            Row row = rows.iterator().next();
            return new OwnedStart(row.getLong("owned") == 1, row.getLong("written") == 1);
        });
    }

    /** What {@link #insertIfRecordedOwner} found and did. */
    public record OwnedStart(boolean owned, boolean written) {
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
