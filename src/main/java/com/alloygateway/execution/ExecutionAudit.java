package com.alloygateway.execution;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.enterprise.context.ApplicationScoped;

import com.alloygateway.graphql.ErrorCode;
import com.alloygateway.tenancy.ProvisionedTenant;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The caller's execution log: a row written before the call (as UNKNOWN, with the idempotency key claimed in
 * the same statement) and completed after (with the key settled in the same statement), so no attempt goes
 * unrecorded even if the gateway dies mid-call; and a REJECTED row for a refusal. Each outcome is also counted in
 * {@code gateway.executions}.
 */
@ApplicationScoped
class ExecutionAudit {

    /** Outcomes kept for a later write at most; beyond, rows stay UNKNOWN (and an error is logged). */
    private static final int MAX_PENDING = 10_000;

    private final ExecutionRepository repository;
    private final Idempotency idempotency;
    private final MeterRegistry metrics;
    private final ExecutionConfig config;
    private final Queue<PendingOutcome> pending = new ConcurrentLinkedQueue<>();

    ExecutionAudit(ExecutionRepository repository, Idempotency idempotency, MeterRegistry metrics,
            ExecutionConfig config) {
        this.repository = repository;
        this.idempotency = idempotency;
        this.metrics = metrics;
        this.config = config;
        Gauge.builder("gateway.executions.pending.outcomes", pending, Queue::size)
                .description("Outcomes of finished executions waiting to be written again")
                .register(metrics);
    }

    /** A refused execution (a credential that is not the caller's): its row, already final. */
    Uni<ExecutionRecord> rejected(ProvisionedTenant me, ExecuteActionInput input) {
        ExecutionRecord record = newRecord(me, input, ExecutionStatus.REJECTED);
        record.errorCode = ErrorCode.NOT_FOUND.name();
        record.finishedAt = record.startedAt;
        count(record);
        return repository.insert(record).replaceWith(record);
    }

    /** The row of an execution about to be sent, as UNKNOWN; null if its key was claimed by another request. */
    Uni<ExecutionRecord> started(ProvisionedTenant me, ExecuteActionInput input, String fingerprint) {
        ExecutionRecord record = newRecord(me, input, ExecutionStatus.UNKNOWN);
        if (record.idempotencyKey == null) {
            return repository.insert(record).replaceWith(record);
        }
        return idempotency.startClaimed(record, fingerprint).map(claimed -> claimed ? record : null);
    }

    /**
     * The row of an execution about to be sent, as {@link #started}, but written only if its credential is
     * recorded as the caller's for its connector: the check and the write are one statement.
     */
    Uni<Started> startedIfRecordedOwner(ProvisionedTenant me, ExecuteActionInput input, String fingerprint) {
        ExecutionRecord record = newRecord(me, input, ExecutionStatus.UNKNOWN);
        return idempotency.startIfRecordedOwner(record, fingerprint)
                .map(start -> new Started(start.written() ? record : null, start.owned()));
    }

    /**
     * What {@link #startedIfRecordedOwner} did: the row written ({@code record}), or not, because the credential
     * is not recorded as the caller's ({@code recordedOwner} false) or another request holds the key.
     */
    record Started(ExecutionRecord record, boolean recordedOwner) {
    }

    /**
     * Completes the row and settles its key in one statement. The call happened, so the caller is answered
     * whatever comes of this: an outcome that cannot be written now is retried in the background for
     * {@code outcomeRetryFor} (less than the in-flight timeout, so a replay meanwhile is a conflict, never a
     * stale UNKNOWN). Only if that fails too does the row stay UNKNOWN, what an unfinished record means.
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
        return write(record, outcome).onFailure().recoverWithItem(failure -> {
            Log.warnf(failure, "Could not record the outcome of execution %s now; retrying in the background",
                    record.id);
            if (pending.size() >= MAX_PENDING) {
                Log.errorf("Too many outcomes waiting to be written: execution %s stays UNKNOWN", record.id);
            } else {
                pending.add(new PendingOutcome(record, outcome, Instant.now().plus(config.outcomeRetryFor())));
            }
            return null;
        });
    }

    /** Writes the outcomes that could not be written when their calls ended; run every few seconds. */
    @Scheduled(every = "${gateway.execution.outcome-retry-every:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> retryPendingOutcomes() {
        List<PendingOutcome> due = new ArrayList<>();
        for (PendingOutcome p; (p = pending.poll()) != null;) {
            due.add(p);
        }
        if (due.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(due)
                .onItem().transformToUniAndConcatenate(p -> write(p.record(), p.outcome())
                        .invoke(() -> Log.infof("Recorded the outcome of execution %s on a retry", p.record().id))
                        .onFailure().recoverWithItem(failure -> {
                            if (Instant.now().isBefore(p.giveUpAt())) {
                                pending.add(p);
                            } else {
                                Log.errorf(failure, "Gave up recording the outcome of execution %s: it stays UNKNOWN",
                                        p.record().id);
                            }
                            return null;
                        }))
                .collect().last().replaceWithVoid();
    }

    /** The outcome, and the key settled with it: one statement. */
    private Uni<Void> write(ExecutionRecord record, Outcome outcome) {
        return record.idempotencyKey == null ? repository.recordOutcome(record)
                : idempotency.finishSettled(record, outcome);
    }

    /** An outcome to be written again, until {@code giveUpAt}. */
    private record PendingOutcome(ExecutionRecord record, Outcome outcome, Instant giveUpAt) {
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
