package com.alloygateway.alloy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import com.alloygateway.alloy.AlloyUnavailableException.Reason;
import com.alloygateway.support.Tracers;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The retry and deadline policy of every call to Alloy: each attempt bounded by a timeout, held to the
 * replica's bulkhead ({@code ALLOY_MAX_CONCURRENT_CALLS}) and guarded by the circuit breaker of its scope
 * ({@link AlloyBreakers}); what {@link RetryRules} allows retried with full-jitter exponential backoff
 * (honouring {@code Retry-After}) while the call's deadline lasts. Latency, retries and calls in flight are
 * metrics.
 */
@ApplicationScoped
class AlloyCalls {

    /** Where a call's failures count: the account-wide breaker, or one tenant's breaker for one connector. */
    record Scope(String userId, String connectorId) {
        static final Scope ACCOUNT = new Scope(null, null);

        static Scope execute(String userId, String connectorId) {
            return new Scope(userId, connectorId);
        }

        boolean isAccount() {
            return connectorId == null;
        }
    }

    private final AlloyConfig config;
    private final MeterRegistry metrics;
    private final AlloyBreakers breakers;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Tracer tracer;

    AlloyCalls(AlloyConfig config, MeterRegistry metrics, AlloyBreakers breakers, Tracers tracers) {
        this.config = config;
        this.metrics = metrics;
        this.breakers = breakers;
        this.tracer = tracers.tracer("com.alloygateway.alloy");
        Gauge.builder("alloy.client.inflight", inFlight, AtomicInteger::get)
                .description("Calls to Alloy in flight on this replica (the bulkhead is ALLOY_MAX_CONCURRENT_CALLS)")
                .register(metrics);
    }

    /** A call that may be repeated freely (reads, deletes): retried per {@link RetryRules#retryableRead}. */
    Uni<AlloyReply> read(String endpoint, Supplier<Uni<AlloyExchange>> send) {
        return call(endpoint, Scope.ACCOUNT, send, RetryRules::retryableRead, new AtomicInteger());
    }

    /** A call that must not run twice: retried per {@link RetryRules#retryableWrite}. */
    Uni<AlloyReply> write(String endpoint, Supplier<Uni<AlloyExchange>> send) {
        return call(endpoint, Scope.ACCOUNT, send, RetryRules::retryableWrite, new AtomicInteger());
    }

    /** A call whose outcome is wanted whatever it is, with its attempts: it never fails. */
    Uni<CallOutcome> outcome(String endpoint, Scope scope, Supplier<Uni<AlloyExchange>> send, boolean repeatable) {
        AtomicInteger attempts = new AtomicInteger();
        return call(endpoint, scope, send, repeatable ? RetryRules::retryableRead : RetryRules::retryableWrite, attempts)
                .map(reply -> new CallOutcome(reply, null, attempts.get()))
                .onFailure().recoverWithItem(failure -> new CallOutcome(null, asRuntime(failure), attempts.get()));
    }

    /**
     * One logical call: attempts until success, a failure {@code retryable} refuses, the retry budget, or the
     * deadline. Continues on the caller's Vert.x context, whatever thread the last attempt ended on.
     */
    private Uni<AlloyReply> call(String endpoint, Scope scope, Supplier<Uni<AlloyExchange>> send,
            Predicate<Throwable> retryable, AtomicInteger attempts) {
        Context callerContext = Vertx.currentContext();
        UpstreamLimits limits = UpstreamLimits.current();
        if (limits != null) {
            try {
                limits.enter();
            } catch (UpstreamLimitException refused) {
                return Uni.createFrom().failure(refused);
            }
        }
        long deadline = System.nanoTime() + config.requestDeadline().toNanos();
        Uni<AlloyReply> calls = Uni.createFrom().deferred(() -> {
            attempts.incrementAndGet();
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return Uni.createFrom().<AlloyExchange> failure(
                        new AlloyUnavailableException(Reason.TIMEOUT, "request deadline exhausted"));
            }
            return attempt(endpoint, scope, send, Duration.ofNanos(Math.min(config.attemptTimeout().toNanos(), remaining)));
        })
                .onFailure().retry().when(failures -> failures.onItem().transformToUniAndConcatenate(failure -> {
                    Optional<Duration> wait = nextWait(failure, attempts.get(), deadline, retryable);
                    if (wait.isEmpty()) {
                        return Uni.createFrom().failure(failure);
                    }
                    Log.debugf("Alloy %s failed (%s); retry %d in %d ms", endpoint, describe(failure),
                            attempts.get(), wait.get().toMillis());
                    metrics.counter("alloy.client.retries", "endpoint", endpoint, "cause", describe(failure))
                            .increment();
                    return wait.get().isZero()
                            ? Uni.createFrom().item(failure)
                            : Uni.createFrom().item(failure).onItem().delayIt().by(wait.get());
                }))
                .map(AlloyAnswers::reply);
        if (limits != null) {
            calls = calls.onTermination().invoke(limits::done);
        }
        Uni<AlloyReply> traced = traced(calls, endpoint, scope, attempts);
        return callerContext == null ? traced : traced.emitOn(onContext(callerContext));
    }

    /**
     * One span per logical call, a child of the request's: the endpoint, the scope, the attempts and how it
     * ended. Nothing of it is sent to Alloy (no {@code traceparent}: see {@link AlloyTransport}).
     */
    private Uni<AlloyReply> traced(Uni<AlloyReply> calls, String endpoint, Scope scope, AtomicInteger attempts) {
        return Uni.createFrom().deferred(() -> {
            Span span = tracer.spanBuilder("Alloy " + endpoint)
                    .setSpanKind(SpanKind.CLIENT)
                    .setAttribute("alloy.endpoint", endpoint)
                    .setAttribute("alloy.scope", scope.isAccount() ? "account" : "execute")
                    .startSpan();
            return calls.onItemOrFailure().invoke((reply, failure) -> {
                span.setAttribute("alloy.attempts", attempts.get());
                if (reply != null) {
                    span.setAttribute("http.response.status_code", reply.status());
                } else {
                    span.setAttribute("error.type", describe(failure));
                    span.setStatus(StatusCode.ERROR, describe(failure));
                }
                span.end();
            }).onCancellation().invoke(span::end);
        });
    }

    private Uni<AlloyExchange> attempt(String endpoint, Scope scope, Supplier<Uni<AlloyExchange>> send,
            Duration timeout) {
        if (!scope.isAccount() && breakers.accountOpen()) {
            // Alloy itself is failing: executes wait with everything else.
            return Uni.createFrom().failure(new AlloyUnavailableException(Reason.BREAKER_OPEN,
                    "Alloy's circuit breaker is open"));
        }
        if (inFlight.incrementAndGet() > config.maxConcurrentCalls()) {
            inFlight.decrementAndGet();
            return Uni.createFrom().failure(new AlloyUnavailableException(Reason.OVERLOADED,
                    "too many calls to Alloy in flight"));
        }
        TypedGuard<Uni<AlloyExchange>> breaker = scope.isAccount()
                ? breakers.account()
                : breakers.execute(scope.userId(), scope.connectorId());
        long start = System.nanoTime();
        return Uni.createFrom().deferred(() -> breaker.get(() -> Uni.createFrom().deferred(send::get)
                .ifNoItem().after(timeout)
                .failWith(() -> new AlloyUnavailableException(Reason.TIMEOUT,
                        "no answer within " + timeout.toMillis() + " ms"))
                .onFailure().transform(RetryRules::transportFailure)))
                .onFailure(CircuitBreakerOpenException.class)
                .transform(open -> new AlloyUnavailableException(Reason.BREAKER_OPEN, "circuit breaker open"))
                .onTermination().invoke(inFlight::decrementAndGet)
                .onItemOrFailure().invoke((response, failure) -> latency(endpoint,
                        response != null ? String.valueOf(response.status()) : describe(failure))
                        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
    }

    private Optional<Duration> nextWait(Throwable failure, int attemptsSoFar, long deadline,
            Predicate<Throwable> retryable) {
        if (!retryable.test(failure) || attemptsSoFar > config.retry().maxRetries()) {
            return Optional.empty();
        }
        Duration wait = failure instanceof AlloyHttpException e && e.retryAfter().isPresent()
                ? e.retryAfter().get()
                : Backoff.fullJitter(attemptsSoFar, config.retry().baseDelay(), config.retry().maxDelay());
        if (System.nanoTime() + wait.toNanos() >= deadline) {
            return Optional.empty();
        }
        return Optional.of(wait);
    }

    /** Latency of one exchange with Alloy, by endpoint and answer (HTTP status, or why there was none). */
    private Timer latency(String endpoint, String status) {
        return Timer.builder("alloy.client.requests")
                .description("Exchanges with Alloy's Connectivity API")
                .tags("endpoint", endpoint, "status", status)
                .publishPercentileHistogram()
                .register(metrics);
    }

    /** The status tag of a failed exchange: Alloy's HTTP status, or why no answer came. */
    private static String describe(Throwable failure) {
        if (failure instanceof AlloyHttpException e) {
            return String.valueOf(e.status());
        }
        if (failure instanceof AlloyUnavailableException e) {
            return e.reason().name();
        }
        if (failure instanceof ResponseTooLargeException) {
            return "RESPONSE_TOO_LARGE";
        }
        return failure.getClass().getSimpleName();
    }

    private static RuntimeException asRuntime(Throwable failure) {
        return failure instanceof RuntimeException r ? r : new AlloyUnavailableException(Reason.IO_ERROR,
                "exchange failed");
    }

    private static Executor onContext(Context context) {
        return task -> context.runOnContext(ignored -> task.run());
    }
}
