package com.alloygateway.alloy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.resteasy.reactive.RestResponse;

import com.alloygateway.alloy.AlloyUnavailableException.Reason;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The retry and deadline policy of every call to Alloy: each attempt bounded by a timeout and guarded by one
 * circuit breaker; what {@link RetryRules} allows retried with full-jitter exponential backoff (honouring
 * {@code Retry-After}) while the call's deadline lasts. Latency and retries are metrics.
 */
@ApplicationScoped
class AlloyCalls {

    /** Name of the circuit breaker, for {@code CircuitBreakerMaintenance}. */
    static final String BREAKER_NAME = "alloy";

    private final AlloyConfig config;
    private final MeterRegistry metrics;
    private final TypedGuard<Uni<RestResponse<String>>> breaker;
    /** 0 closed, 1 half-open, 2 open: the gauge {@code alloy.client.breaker.state}. */
    private final AtomicInteger breakerState = new AtomicInteger();

    AlloyCalls(AlloyConfig config, MeterRegistry metrics) {
        this.config = config;
        this.metrics = metrics;
        Gauge.builder("alloy.client.breaker.state", breakerState, AtomicInteger::get)
                .description("Alloy circuit breaker: 0 closed, 1 half-open, 2 open")
                .register(metrics);
        AlloyConfig.Breaker b = config.breaker();
        this.breaker = TypedGuard.create(new TypeLiteral<Uni<RestResponse<String>>>() {
        })
                .withCircuitBreaker()
                .name(BREAKER_NAME)
                .requestVolumeThreshold(b.requestVolumeThreshold())
                .failureRatio(b.failureRatio())
                .delay(b.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(b.successThreshold())
                .when(RetryRules::countsAgainstBreaker)
                .onStateChange(state -> {
                    breakerState.set(switch (state) {
                        case CLOSED -> 0;
                        case HALF_OPEN -> 1;
                        case OPEN -> 2;
                    });
                    Log.infof("Alloy circuit breaker is now %s", state);
                })
                .done()
                .build();
    }

    /** A call that may be repeated freely (reads, deletes): retried per {@link RetryRules#retryableRead}. */
    Uni<AlloyReply> read(String endpoint, Supplier<Uni<RestResponse<String>>> send) {
        return call(endpoint, send, RetryRules::retryableRead, new AtomicInteger());
    }

    /** A call that must not run twice: retried per {@link RetryRules#retryableWrite}. */
    Uni<AlloyReply> write(String endpoint, Supplier<Uni<RestResponse<String>>> send) {
        return call(endpoint, send, RetryRules::retryableWrite, new AtomicInteger());
    }

    /** A call whose outcome is wanted whatever it is, with its attempts: it never fails. */
    Uni<CallOutcome> outcome(String endpoint, Supplier<Uni<RestResponse<String>>> send, boolean repeatable) {
        AtomicInteger attempts = new AtomicInteger();
        return call(endpoint, send, repeatable ? RetryRules::retryableRead : RetryRules::retryableWrite, attempts)
                .map(reply -> new CallOutcome(reply, null, attempts.get()))
                .onFailure().recoverWithItem(failure -> new CallOutcome(null, asRuntime(failure), attempts.get()));
    }

    /**
     * One logical call: attempts until success, a failure {@code retryable} refuses, the retry budget, or the
     * deadline. Continues on the caller's Vert.x context, whatever thread the last attempt ended on.
     */
    private Uni<AlloyReply> call(String endpoint, Supplier<Uni<RestResponse<String>>> send,
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
                return Uni.createFrom().<RestResponse<String>> failure(
                        new AlloyUnavailableException(Reason.TIMEOUT, "request deadline exhausted"));
            }
            return attempt(endpoint, send, Duration.ofNanos(Math.min(config.attemptTimeout().toNanos(), remaining)));
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
        return callerContext == null ? calls : calls.emitOn(onContext(callerContext));
    }

    private Uni<RestResponse<String>> attempt(String endpoint, Supplier<Uni<RestResponse<String>>> send,
            Duration timeout) {
        long start = System.nanoTime();
        return Uni.createFrom().deferred(() -> breaker.get(() -> Uni.createFrom().deferred(send::get)
                .ifNoItem().after(timeout)
                .failWith(() -> new AlloyUnavailableException(Reason.TIMEOUT,
                        "no answer within " + timeout.toMillis() + " ms"))
                .onFailure().transform(RetryRules::transportFailure)))
                .onFailure(CircuitBreakerOpenException.class)
                .transform(open -> new AlloyUnavailableException(Reason.BREAKER_OPEN, "circuit breaker open"))
                .onItemOrFailure().invoke((response, failure) -> latency(endpoint,
                        response != null ? String.valueOf(response.getStatus()) : describe(failure))
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
