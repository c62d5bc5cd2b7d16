package com.alloygateway.alloy;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How the gateway talks to Alloy's Connectivity API. Every member maps to an environment
 * variable ({@code alloy.api-key} is {@code ALLOY_API_KEY}).
 */
@ConfigMapping(prefix = "alloy")
public interface AlloyConfig {

    /** Base URL of the Connectivity API. */
    @WithDefault("https://production.runalloy.com")
    String baseUrl();

    /** The account's API key. Required in the prod profile; it never leaves the server. */
    Optional<String> apiKey();

    /** Value of the {@code x-api-version} header. */
    @WithDefault("2025-09")
    String apiVersion();

    /** Longest wait for a connection to Alloy; nothing has been sent when it runs out. */
    @WithDefault("3s")
    Duration connectTimeout();

    /**
     * Calls to Alloy in flight at once on this replica, over all tenants (the bulkhead; each tenant's own share,
     * {@code GATEWAY_LIMITS_CONCURRENT_UPSTREAM_PER_TENANT}, lies inside it). Also the connection pool's size.
     */
    @WithDefault("64")
    int maxConcurrentCalls();

    /** Largest answer read from Alloy; a longer one is cut off as it streams in (UPSTREAM_ERROR, RESPONSE_TOO_LARGE). */
    @WithDefault("8M")
    MemorySize maxResponseBytes();

    /** Longest wait for one HTTP exchange (connect, send, answer). */
    @WithDefault("10s")
    Duration attemptTimeout();

    /** Budget of one logical call, retries and backoff included; no retry starts past it. */
    @WithDefault("30s")
    Duration requestDeadline();

    Retry retry();

    Breaker breaker();

    interface Retry {
        /** Retries after the first attempt, at most. */
        @WithDefault("3")
        int maxRetries();

        /** Base of the full-jitter exponential backoff: attempt n waits random(0, min(max, base * 2^(n-1))). */
        @WithDefault("200ms")
        Duration baseDelay();

        /** Cap of one backoff wait (not of a server's Retry-After, which is honoured as given). */
        @WithDefault("5s")
        Duration maxDelay();
    }

    /**
     * The circuit breakers: one account-wide for catalog, user and credential calls, which only Alloy's own
     * failures open; one per tenant and connector for executes, which the third party's failures open too.
     */
    interface Breaker {
        /** Calls in the rolling window before the failure ratio is judged. */
        @WithDefault("20")
        int requestVolumeThreshold();

        /** Share of failed calls (5xx, timeouts, connection failures) that opens the breaker. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long the breaker stays open before letting a trial call through. */
        @WithDefault("10s")
        Duration delay();

        /** Successful trial calls needed to close it again. */
        @WithDefault("2")
        int successThreshold();
    }
}
