package com.alloygateway.execution;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonValue;

import com.alloygateway.alloy.JsonSupport;
import com.alloygateway.db.Database;
import com.alloygateway.graphql.ErrorCode;
import com.alloygateway.graphql.GatewayException;
import com.alloygateway.tenancy.ProvisionedTenant;

import io.smallrye.mutiny.Uni;

/**
 * Idempotency keys, per tenant: a repeat with the same input is answered from the first execution (claim,
 * replay), a repeat in flight is a conflict, and the key is completed with the answer or released when
 * nothing ran.
 */
@ApplicationScoped
class Idempotency {

    private final Database db;
    private final ExecutionRepository repository;
    private final ExecutionConfig config;

    Idempotency(Database db, ExecutionRepository repository, ExecutionConfig config) {
        this.db = db;
        this.repository = repository;
        this.config = config;
    }

    /** The stored answer for a repeated key; empty for no key, or one not (or no longer) known. */
    Uni<Optional<Execution>> replay(ProvisionedTenant me, String key, String fingerprint) {
        if (key == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return db.read(s -> repository.findKey(s, me.tenantId(), key).chain(stored -> {
            Instant now = Instant.now();
            if (stored == null || !stored.expiresAt.isAfter(now)) {
                return Uni.createFrom().item(Optional.<Execution> empty());
            }
            if (!stored.fingerprint.equals(fingerprint)) {
                return Uni.createFrom().failure(GatewayException.invalidInput("/input/idempotencyKey",
                        "was already used with different input"));
            }
            boolean stale = stored.createdAt.plus(config.inFlightTimeout()).isBefore(now);
            if (IdempotencyRecord.IN_FLIGHT.equals(stored.state) && !stale) {
                return Uni.createFrom().failure(conflict(stored.executionId.toString()));
            }
            return repository.find(s, stored.executionId).map(record -> {
                if (record == null) {
                    throw new GatewayException(ErrorCode.INTERNAL, "The execution of this key is missing");
                }
                if (record.status == ExecutionStatus.SUCCEEDED) {
                    JsonValue data = stored.responseData == null ? null : JsonSupport.parse(stored.responseData);
                    return Optional.of(Execution.answered(record, data, stored.responseOmitted));
                }
                throw replayedFailure(record);
            });
        }));
    }

    /**
     * Writes the record's row with its key claimed for it, in one statement; false, with nothing written, if
     * another request holds the key.
     */
    Uni<Boolean> startClaimed(ExecutionRecord record, String fingerprint) {
        return repository.insertClaimingKey(record, fingerprint, record.startedAt.plus(config.idempotencyTtl()));
    }

    /**
     * Writes the record's row (its key claimed with it, if it has one) only if its credential is recorded as its
     * tenant's: {@link ExecutionRepository#insertIfRecordedOwner}.
     */
    Uni<ExecutionRepository.OwnedStart> startIfRecordedOwner(ExecutionRecord record, String fingerprint) {
        return repository.insertIfRecordedOwner(record, fingerprint, record.startedAt.plus(config.idempotencyTtl()));
    }

    /**
     * Writes the record's outcome and, in the same statement, completes its key with the answer or releases it
     * when nothing ran; only while the key is still this record's. A payload over {@code maxStoredAnswerBytes}
     * is not kept: its replays carry {@code responseOmitted}.
     */
    Uni<Void> finishSettled(ExecutionRecord record, Outcome outcome) {
        if (outcome.keyReusable()) {
            return repository.recordOutcomeReleasingKey(record).replaceWithVoid();
        }
        String data = outcome.responseData() == null ? null : outcome.responseData().toString();
        boolean omitted = data != null && tooLargeToKeep(data);
        return repository.recordOutcomeCompletingKey(record, omitted ? null : data, omitted).replaceWithVoid();
    }

    /**
     * Whether the payload's UTF-8 text is over {@code maxStoredAnswerBytes}; encoded only when its length in
     * characters (at least one byte each, at most three) leaves that in doubt.
     */
    private boolean tooLargeToKeep(String text) {
        long max = config.maxStoredAnswerBytes().asLongValue();
        if (text.length() > max) {
            return true;
        }
        return (long) text.length() * 3 > max && text.getBytes(StandardCharsets.UTF_8).length > max;
    }

    static GatewayException conflict(String executionId) {
        return new GatewayException(ErrorCode.IDEMPOTENCY_CONFLICT,
                "A request with this idempotency key is in flight",
                executionId == null ? Map.of() : Map.of("executionId", executionId));
    }

    private static GatewayException replayedFailure(ExecutionRecord record) {
        ErrorCode code;
        try {
            code = record.errorCode == null ? ErrorCode.UPSTREAM_UNAVAILABLE : ErrorCode.valueOf(record.errorCode);
        } catch (IllegalArgumentException e) {
            code = ErrorCode.UPSTREAM_ERROR;
        }
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("executionId", record.id.toString());
        extensions.put("status", record.status.name());
        extensions.put("replayed", true);
        extensions.put("retryable", false);
        if (record.errorSource != null) {
            extensions.put("source", record.errorSource);
        }
        if (record.upstreamStatus != null) {
            extensions.put("httpStatusCode", record.upstreamStatus);
        }
        String message = record.status == ExecutionStatus.UNKNOWN
                ? "The first request with this idempotency key got no answer; whether it ran is unknown"
                : "The first request with this idempotency key failed";
        return new GatewayException(code, message, extensions);
    }
}
