package com.alloygateway.execution;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Executions, idempotency keys and the audit log. */
@ConfigMapping(prefix = "gateway.execution")
public interface ExecutionConfig {

    /** How long an idempotency key is remembered ({@code GATEWAY_EXECUTION_IDEMPOTENCY_TTL}). */
    @WithDefault("24h")
    Duration idempotencyTtl();

    /**
     * After this, a key still marked in flight belongs to a request that died with its gateway: its
     * execution is reported as it was left (UNKNOWN) instead of as a conflict. Longer than the Alloy deadline.
     */
    @WithDefault("2m")
    Duration inFlightTimeout();

    /** How often expired idempotency keys are purged ({@code GATEWAY_EXECUTION_PURGE_EVERY}). */
    @WithDefault("15m")
    Duration purgeEvery();

    /**
     * How long after start the purges of idempotency keys and OAuth flows first run
     * ({@code GATEWAY_EXECUTION_PURGE_DELAY}); the retention purge waits {@link #retentionPurgeDelay()}.
     */
    @WithDefault("1m")
    Duration purgeDelay();

    /** How long after start the retention purge first runs ({@code GATEWAY_EXECUTION_RETENTION_PURGE_DELAY}). */
    @WithDefault("2m")
    Duration retentionPurgeDelay();

    /** How long executions and audit rows are kept ({@code GATEWAY_RETENTION}); older ones are purged. */
    @WithDefault("90d")
    Duration retention();

    /** Rows deleted per statement by the retention job. */
    @WithDefault("1000")
    int retentionBatch();

    /** Largest {@code first} of {@code executions}. */
    @WithDefault("100")
    int maxPageSize();

    /**
     * Largest third-party payload kept with an idempotency key for replays
     * ({@code GATEWAY_EXECUTION_MAX_STORED_ANSWER_BYTES}); a larger one replays with {@code responseOmitted}.
     */
    @WithDefault("256K")
    MemorySize maxStoredAnswerBytes();

    /**
     * How long an outcome that could not be written is retried in the background before the row is left as
     * it is (UNKNOWN). Shorter than {@link #inFlightTimeout()}, so a key is never reported stale meanwhile.
     */
    @WithDefault("90s")
    Duration outcomeRetryFor();

    /** Longest accepted idempotency key. */
    @WithDefault("255")
    int maxIdempotencyKeyLength();
}
