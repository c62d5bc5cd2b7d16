package com.alloygateway.edge;

import java.util.concurrent.Semaphore;

/**
 * One tenant's share of a replica: a token bucket of requests ({@code requestsPerMinute}, refilled evenly,
 * holding at most {@code burst}) and its concurrent calls to Alloy.
 */
final class TenantLimits {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;
    final Semaphore upstreamCalls;

    TenantLimits(LimitsConfig config) {
        this.perNano = config.requestsPerMinute() / 60e9;
        this.capacity = Math.max(1, config.burst());
        this.tokens = capacity;
        this.last = System.nanoTime();
        this.upstreamCalls = new Semaphore(config.concurrentUpstreamPerTenant());
    }

    /** Takes a request's token; 0 if there was one, else the seconds until the next one (at least 1). */
    synchronized long take() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9));
    }
}
