package com.alloygateway.alloy;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The limits one request works under when it calls Alloy: a budget of calls for the request, and its tenant's
 * share of concurrent calls. The edge attaches them to the request's Vert.x context; {@link AlloyCalls} takes
 * from them before each call and refuses, with {@link UpstreamLimitException}, what goes past them.
 */
public final class UpstreamLimits {

    private static final String KEY = UpstreamLimits.class.getName();

    private final int budget;
    private final AtomicInteger used = new AtomicInteger();
    private final Semaphore tenantCalls;

    private UpstreamLimits(int budget, Semaphore tenantCalls) {
        this.budget = budget;
        this.tenantCalls = tenantCalls;
    }

    /** Puts a request's limits on its context (one request, one duplicated context). */
    public static void attach(Context context, int budget, Semaphore tenantCalls) {
        context.putLocal(KEY, new UpstreamLimits(budget, tenantCalls));
    }

    /** The current request's limits, or null outside one (start-up, scheduled jobs, the OAuth return). */
    static UpstreamLimits current() {
        Context context = Vertx.currentContext();
        return context == null ? null : context.getLocal(KEY);
    }

    /** Takes one call from the budget and one of the tenant's concurrent calls; release with {@link #done()}. */
    void enter() {
        if (used.incrementAndGet() > budget) {
            throw new UpstreamLimitException(UpstreamLimitException.Kind.REQUEST_BUDGET,
                    "This request reached its budget of " + budget + " upstream calls");
        }
        if (!tenantCalls.tryAcquire()) {
            throw new UpstreamLimitException(UpstreamLimitException.Kind.TENANT_CONCURRENCY,
                    "Too many upstream calls of this tenant at once");
        }
    }

    void done() {
        tenantCalls.release();
    }
}
