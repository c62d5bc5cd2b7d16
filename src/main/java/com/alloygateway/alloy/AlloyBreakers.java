package com.alloygateway.alloy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;

/**
 * Circuit breakers scoped to the blast radius of what fails. Catalog, user and credential calls share one
 * account-wide breaker, which only Alloy's own failures open ({@link RetryRules#countsAgainstAccount}): a
 * third party's errors never do. Executes get a breaker per tenant and connector
 * ({@link RetryRules#countsAgainstExecute}): one tenant's failing or slow third-party account pauses only that
 * tenant's calls to that connector. While the account-wide breaker is open, executes are held back too (Alloy
 * itself is failing).
 * <p>
 * Metrics: {@code alloy.client.breaker.state{scope=account,connector=*}} and, per connector,
 * {@code alloy.client.breaker.state{scope=execute,connector}} (0 closed, 1 some half-open, 2 some open) with
 * {@code alloy.client.breakers.open{connector}}, how many tenants' breakers of it are open.
 */
@ApplicationScoped
public class AlloyBreakers {

    private static final TypeLiteral<Uni<AlloyExchange>> TYPE = new TypeLiteral<>() {
    };

    private final AlloyConfig.Breaker settings;
    private final MeterRegistry metrics;
    private final AtomicInteger accountState = new AtomicInteger();
    private volatile TypedGuard<Uni<AlloyExchange>> account;
    private final Cache<String, ExecuteBreaker> executes;
    private final Set<String> connectors = ConcurrentHashMap.newKeySet();

    AlloyBreakers(AlloyConfig config, MeterRegistry metrics) {
        this.settings = config.breaker();
        this.metrics = metrics;
        Gauge.builder("alloy.client.breaker.state", accountState, AtomicInteger::get)
                .description("Alloy circuit breaker: 0 closed, 1 half-open, 2 open")
                .tags("scope", "account", "connector", "*")
                .register(metrics);
        this.account = accountGuard();
        this.executes = executeStore();
    }

    /**
     * A tenant's breaker for a connector it no longer calls is forgotten. Built like the "tenant-limits" cache,
     * asynchronous (maximum size and expiry after access), and used through its synchronous view: the synchronous
     * build of the same features needs an entry class the native image does not have (PSAMS), the asynchronous
     * one only classes it has ({@code AlloyBreakersStoreTest} checks).
     */
    static <V> Cache<String, V> executeStore() {
        return Caffeine.newBuilder()
                .expireAfterAccess(Duration.ofMinutes(30))
                .maximumSize(100_000)
                .<String, V> buildAsync()
                .synchronous();
    }

    /** The guard of a catalog, user or credential call. */
    TypedGuard<Uni<AlloyExchange>> account() {
        return account;
    }

    /** Whether the account-wide breaker is open: Alloy itself is failing. */
    boolean accountOpen() {
        return accountState.get() == 2;
    }

    /** The guard of an execute for this tenant (its Alloy user) and connector. */
    TypedGuard<Uni<AlloyExchange>> execute(String userId, String connectorId) {
        registerGauges(connectorId);
        return executes.get(userId + '\u0000' + connectorId, key -> new ExecuteBreaker(connectorId)).guard;
    }

    /** Closes every breaker, as at start-up (for tests). */
    public void resetAll() {
        executes.invalidateAll();
        executes.cleanUp();
        account = accountGuard();
        accountState.set(0);
    }

    private TypedGuard<Uni<AlloyExchange>> accountGuard() {
        return guard(RetryRules::countsAgainstAccount, state -> {
            accountState.set(code(state));
            Log.infof("Alloy's account-wide circuit breaker is now %s", state);
        });
    }

    private TypedGuard<Uni<AlloyExchange>> guard(Predicate<Throwable> counts, Consumer<CircuitBreakerState> onChange) {
        return TypedGuard.create(TYPE)
                .withCircuitBreaker()
                .requestVolumeThreshold(settings.requestVolumeThreshold())
                .failureRatio(settings.failureRatio())
                .delay(settings.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(settings.successThreshold())
                .when(counts)
                .onStateChange(onChange)
                .done()
                .build();
    }

    private void registerGauges(String connectorId) {
        if (!connectors.add(connectorId)) {
            return;
        }
        Gauge.builder("alloy.client.breaker.state", this, self -> self.worstState(connectorId))
                .description("Alloy circuit breaker: 0 closed, 1 half-open, 2 open")
                .tags("scope", "execute", "connector", connectorId)
                .register(metrics);
        Gauge.builder("alloy.client.breakers.open", this, self -> self.openCount(connectorId))
                .description("Tenants whose execute breaker for this connector is open")
                .tag("connector", connectorId)
                .register(metrics);
    }

    /** The worst state of the connector's execute breakers: 2 if any is open, 1 if any is half-open, else 0. */
    private int worstState(String connectorId) {
        int worst = 0;
        for (ExecuteBreaker breaker : executes.asMap().values()) {
            if (breaker.connectorId.equals(connectorId)) {
                worst = Math.max(worst, breaker.state);
            }
        }
        return worst;
    }

    private long openCount(String connectorId) {
        return executes.asMap().values().stream()
                .filter(breaker -> breaker.connectorId.equals(connectorId) && breaker.state == 2)
                .count();
    }

    private static int code(CircuitBreakerState state) {
        return switch (state) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    /** One tenant's breaker for one connector, with its last state. */
    private final class ExecuteBreaker {
        final String connectorId;
        final TypedGuard<Uni<AlloyExchange>> guard;
        volatile int state;

        ExecuteBreaker(String connectorId) {
            this.connectorId = connectorId;
            this.guard = guard(RetryRules::countsAgainstExecute, next -> {
                state = code(next);
                if (state == 2) {
                    Log.infof("An execute circuit breaker for connector %s opened", connectorId);
                }
            });
        }
    }
}
