package com.alloygateway.execution;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.alloygateway.db.Database;
import com.alloygateway.graphql.ErrorCode;
import com.alloygateway.tenancy.ProvisionedTenant;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * The caller's execution log: a row written before the call (as UNKNOWN, with the idempotency key claimed in
 * the same transaction) and completed after, so no attempt goes unrecorded even if the gateway dies mid-call;
 * and a REJECTED row for a refusal. Each outcome is also counted in {@code gateway.executions}.
 */
@ApplicationScoped
class ExecutionAudit {

    private final Database db;
    private final ExecutionRepository repository;
    private final Idempotency idempotency;
    private final MeterRegistry metrics;

    ExecutionAudit(Database db, ExecutionRepository repository, Idempotency idempotency, MeterRegistry metrics) {
        this.db = db;
        this.repository = repository;
        this.idempotency = idempotency;
        this.metrics = metrics;
    }

    /** A refused execution (a credential that is not the caller's): its row, already final. */
    Uni<ExecutionRecord> rejected(ProvisionedTenant me, ExecuteActionInput input) {
        ExecutionRecord record = newRecord(me, input, ExecutionStatus.REJECTED);
        record.errorCode = ErrorCode.NOT_FOUND.name();
        record.finishedAt = record.startedAt;
        count(record);
        return db.write(s -> repository.insert(s, record)).replaceWith(record);
    }

    /** The row of an execution about to be sent, as UNKNOWN; null if its key was claimed by another request. */
    Uni<ExecutionRecord> started(ProvisionedTenant me, ExecuteActionInput input, String fingerprint) {
        ExecutionRecord record = newRecord(me, input, ExecutionStatus.UNKNOWN);
        if (record.idempotencyKey == null) {
            return db.write(s -> repository.insert(s, record)).replaceWith(record);
        }
        return db.write(s -> idempotency.claim(s, record, fingerprint)
                .chain(claimed -> claimed ? repository.insert(s, record).replaceWith(record)
                        : Uni.createFrom().<ExecutionRecord> nullItem()));
    }

    /**
     * Completes the row and settles its key in one transaction. The call happened: if this cannot be written
     * now the row stays UNKNOWN (what an unfinished record means) and the caller is answered all the same.
     */
    Uni<Void> finished(ExecutionRecord record, Outcome outcome, long startedNanos) {
        record.status = outcome.status();
        record.upstreamStatus = outcome.upstreamStatus();
        record.errorCode = outcome.error() == null ? null : outcome.error().code().name();
        record.errorSource = outcome.errorSource();
        record.attempts = outcome.attempts();
        record.durationMs = (int) Math.min(Integer.MAX_VALUE,
                Duration.ofNanos(System.nanoTime() - startedNanos).toMillis());
        record.finishedAt = Instant.now();
        count(record);
        return db.write(s -> repository.recordOutcome(s, record).chain(() -> record.idempotencyKey == null
                ? Uni.createFrom().voidItem()
                : idempotency.settle(s, record, outcome)))
                .onFailure().recoverWithItem(failure -> {
                    Log.errorf(failure, "Could not record the outcome of execution %s", record.id);
                    return null;
                });
    }

    private static ExecutionRecord newRecord(ProvisionedTenant me, ExecuteActionInput input, ExecutionStatus status) {
        ExecutionRecord record = new ExecutionRecord();
        record.id = UUID.randomUUID();
        record.tenantId = me.tenantId();
        record.connectorId = input.connectorId;
        record.actionId = input.actionId;
        record.credentialId = input.credentialId;
        record.status = status;
        record.idempotencyKey = input.idempotencyKey;
        // Microseconds: what PostgreSQL keeps, so cursors compare exactly.
        record.startedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return record;
    }

    private void count(ExecutionRecord record) {
        metrics.counter("gateway.executions", "connector", record.connectorId, "action", record.actionId,
                "outcome", record.status.name()).increment();
    }
}
