package com.alloygateway.alloy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
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
    private final Map<String, ConnectorStates> connectors = new ConcurrentHashMap<>();

    AlloyBreakers(AlloyConfig config, MeterRegistry metrics) {
        this.settings = config.breaker();
        this.metrics = metrics;
        Gauge.builder("alloy.client.breaker.state", accountState, AtomicInteger::get)
                .description("Alloy circuit breaker: 0 closed, 1 half-open, 2 open")
                .tags("scope", "account", "connector", "*")
                .register(metrics);
        this.account = accountGuard();
        // A tenant's breaker for a connector it no longer calls is forgotten (closed, unless still in use).
        this.executes = Caffeine.newBuilder()
                .expireAfterAccess(Duration.ofMinutes(30))
                .maximumSize(100_000)
                .<String, ExecuteBreaker> removalListener((key, breaker, cause) -> {
                    if (breaker != null) {
                        breaker.forget();
                    }
                })
                .build();
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
        return executes.get(userId + '\u0000' + connectorId, key -> new ExecuteBreaker(states(connectorId))).guard;
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

    private ConnectorStates states(String connectorId) {
        return connectors.computeIfAbsent(connectorId, id -> {
            ConnectorStates states = new ConnectorStates(id);
            Gauge.builder("alloy.client.breaker.state", states, ConnectorStates::state)
                    .description("Alloy circuit breaker: 0 closed, 1 half-open, 2 open")
                    .tags("scope", "execute", "connector", id)
                    .register(metrics);
            Gauge.builder("alloy.client.breakers.open", states.open, AtomicInteger::get)
                    .description("Tenants whose execute breaker for this connector is open")
                    .tag("connector", id)
                    .register(metrics);
            return states;
        });
    }

    private static int code(CircuitBreakerState state) {
        return switch (state) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    /** How many of a connector's execute breakers are open or half-open. */
    private static final class ConnectorStates {
        final String connectorId;
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger halfOpen = new AtomicInteger();

        ConnectorStates(String connectorId) {
            this.connectorId = connectorId;
        }

        int state() {
            return open.get() > 0 ? 2 : halfOpen.get() > 0 ? 1 : 0;
        }

        void moved(int from, int to) {
            counter(from, -1);
            counter(to, 1);
        }

        private void counter(int state, int delta) {
            if (state == 2) {
                open.addAndGet(delta);
            } else if (state == 1) {
                halfOpen.addAndGet(delta);
            }
        }
    }

    /** One tenant's breaker for one connector, counted in its connector's states. */
    private final class ExecuteBreaker {
        final ConnectorStates states;
        final TypedGuard<Uni<AlloyExchange>> guard;
        private int state;

        ExecuteBreaker(ConnectorStates states) {
            this.states = states;
            this.guard = guard(RetryRules::countsAgainstExecute, this::changed);
        }

        private synchronized void changed(CircuitBreakerState next) {
            int to = code(next);
            states.moved(state, to);
            state = to;
            if (to == 2) {
                Log.infof("An execute circuit breaker for connector %s opened", states.connectorId);
            }
        }

        synchronized void forget() {
            states.moved(state, 0);
            state = 0;
        }
    }
}
