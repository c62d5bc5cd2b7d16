package com.alloygateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;

import com.alloygateway.alloy.AlloyConfig;
import com.alloygateway.edge.LimitsConfig;
import com.alloygateway.execution.ExecutionConfig;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/**
 * Refuses to start a gateway that could not work (in prod: one without its key, issuer or audience; anywhere:
 * timeouts in the wrong order), with a message that says what to set.
 */
@ApplicationScoped
class StartupChecks {

    private final AlloyConfig alloy;
    private final ExecutionConfig execution;
    private final LimitsConfig limits;

    StartupChecks(AlloyConfig alloy, ExecutionConfig execution, LimitsConfig limits) {
        this.alloy = alloy;
        this.execution = execution;
        this.limits = limits;
    }

    void onStart(@Observes StartupEvent event) {
        List<String> timing = new ArrayList<>(
                timing(execution.idempotencyTtl(), execution.inFlightTimeout(), alloy.requestDeadline()));
        timing.addAll(capacity(execution.outcomeRetryFor(), execution.inFlightTimeout(),
                limits.concurrentUpstreamPerTenant(), alloy.maxConcurrentCalls()));
        if (!timing.isEmpty()) {
            throw new IllegalStateException("The gateway cannot start: " + String.join("; ", timing));
        }
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        List<String> problems = problems(alloy.apiKey(),
                ConfigProvider.getConfig().getOptionalValue("quarkus.oidc.auth-server-url", String.class),
                ConfigProvider.getConfig().getOptionalValue("quarkus.oidc.token.audience", String.class));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The gateway cannot start: " + String.join("; ", problems));
        }
    }

    /**
     * An idempotency key must outlive the time after which an in-flight key counts as abandoned, and that
     * must outlive a call's whole deadline: else a key could be reused, or a live call taken for dead.
     */
    static List<String> timing(Duration idempotencyTtl, Duration inFlightTimeout, Duration requestDeadline) {
        List<String> problems = new ArrayList<>();
        if (inFlightTimeout.compareTo(requestDeadline) <= 0) {
            problems.add("GATEWAY_EXECUTION_IN_FLIGHT_TIMEOUT (" + inFlightTimeout + ") must be longer than "
                    + "ALLOY_REQUEST_DEADLINE (" + requestDeadline + ")");
        }
        if (idempotencyTtl.compareTo(inFlightTimeout) <= 0) {
            problems.add("GATEWAY_EXECUTION_IDEMPOTENCY_TTL (" + idempotencyTtl + ") must be longer than "
                    + "GATEWAY_EXECUTION_IN_FLIGHT_TIMEOUT (" + inFlightTimeout + ")");
        }
        return problems;
    }

    /**
     * An outcome that could not be written is retried for less than the in-flight timeout (else a replay could
     * find its key stale and answer UNKNOWN for a call that succeeded); one tenant's share of the calls in
     * flight lies inside the replica's bulkhead.
     */
    static List<String> capacity(Duration outcomeRetryFor, Duration inFlightTimeout, int perTenant, int perReplica) {
        List<String> problems = new ArrayList<>();
        if (outcomeRetryFor.compareTo(inFlightTimeout) >= 0) {
            problems.add("GATEWAY_EXECUTION_OUTCOME_RETRY_FOR (" + outcomeRetryFor + ") must be shorter than "
                    + "GATEWAY_EXECUTION_IN_FLIGHT_TIMEOUT (" + inFlightTimeout + ")");
        }
        if (perReplica < 1 || perTenant > perReplica) {
            problems.add("GATEWAY_LIMITS_CONCURRENT_UPSTREAM_PER_TENANT (" + perTenant + ") must be at most "
                    + "ALLOY_MAX_CONCURRENT_CALLS (" + perReplica + "), which must be at least 1");
        }
        return problems;
    }

    static List<String> problems(Optional<String> apiKey, Optional<String> oidcServer, Optional<String> audience) {
        List<String> problems = new ArrayList<>();
        if (apiKey.filter(k -> !k.isBlank()).isEmpty()) {
            problems.add("ALLOY_API_KEY is not set (the Alloy account's API key)");
        }
        if (oidcServer.filter(s -> !s.isBlank()).isEmpty()) {
            problems.add("QUARKUS_OIDC_AUTH_SERVER_URL is not set (the OIDC issuer that signs users' tokens)");
        }
        if (audience.filter(a -> !a.isBlank()).isEmpty()) {
            problems.add("QUARKUS_OIDC_TOKEN_AUDIENCE is not set (the audience the gateway's tokens must carry;"
                    + " without it any token of the issuer would be accepted)");
        }
        return problems;
    }
}
