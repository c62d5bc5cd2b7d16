package com.alloygateway.sandbox;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Singleton;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.arc.profile.IfBuildProfile;

/**
 * Faults the sandbox injects at random into its API calls, for soak runs (all rates 0 by default, so nothing
 * changes unless asked): a 429 with {@code Retry-After}, a 5xx, or a slow answer. Each API call draws at most one.
 * An execute's 5xx comes in two kinds, told apart by its body: refused before the action ran (503 from the
 * Connectivity API, nothing happened) or failed after it ran (502 from the third party, its effect stays); the
 * journal records which executes ran ({@link SandboxJournal#executions()}).
 */
@Singleton
@IfBuildProfile(anyOf = { "dev", "test" })
public class SandboxFaults {

    /** What one call gets. */
    enum Fault {
        NONE, RATE_LIMITED, SERVER_ERROR_BEFORE, SERVER_ERROR_AFTER, SLOW
    }

    private final double rateLimited;
    private final double serverError;
    private final double slow;
    private final Duration slowDelay;

    SandboxFaults(@ConfigProperty(name = "alloy-sandbox.faults.rate-limited", defaultValue = "0") double rateLimited,
            @ConfigProperty(name = "alloy-sandbox.faults.server-error", defaultValue = "0") double serverError,
            @ConfigProperty(name = "alloy-sandbox.faults.slow", defaultValue = "0") double slow,
            @ConfigProperty(name = "alloy-sandbox.faults.slow-delay", defaultValue = "2s") Duration slowDelay) {
        if (rateLimited < 0 || serverError < 0 || slow < 0 || rateLimited + serverError + slow > 1) {
            throw new IllegalArgumentException("alloy-sandbox.faults.* are shares in [0, 1] adding up to at most 1");
        }
        this.rateLimited = rateLimited;
        this.serverError = serverError;
        this.slow = slow;
        this.slowDelay = slowDelay;
    }

    /** The fault of one call; for an execute a 5xx is, with equal chance, before or after the action ran. */
    Fault draw(boolean execute) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        double u = random.nextDouble();
        if (u < rateLimited) {
            return Fault.RATE_LIMITED;
        }
        if (u < rateLimited + serverError) {
            return execute && random.nextBoolean() ? Fault.SERVER_ERROR_AFTER : Fault.SERVER_ERROR_BEFORE;
        }
        return u < rateLimited + serverError + slow ? Fault.SLOW : Fault.NONE;
    }

    /** Applies what happens before the call is handled: a refusal (thrown), or the wait of a slow answer. */
    void before(Fault fault) {
        switch (fault) {
            case RATE_LIMITED -> throw rateLimited();
            case SERVER_ERROR_BEFORE -> throw SandboxErrors.alloy(503, "SERVICE_UNAVAILABLE",
                    "The service is temporarily unavailable");
            case SLOW -> pause();
            default -> {
            }
        }
    }

    /** Applies what happens after an execute's action ran: the third party's failure, its effect kept. */
    void after(Fault fault) {
        if (fault == Fault.SERVER_ERROR_AFTER) {
            throw SandboxErrors.thirdParty(502, "THIRD_PARTY_ERROR", "The provider failed while handling the request",
                    500);
        }
    }

    /** A 429 in the documented envelope, with {@code Retry-After: 1}. */
    static WebApplicationException rateLimited() {
        return new WebApplicationException(Response.status(429).header("Retry-After", "1")
                .type(MediaType.APPLICATION_JSON)
                .entity("{\"error\":{\"source\":\"CONNECTIVITY_API\",\"code\":\"RATE_LIMITED\","
                        + "\"message\":\"Too many requests\",\"details\":{\"httpStatusCode\":429}}}")
                .build());
    }

    /** Waits a random time up to {@code slow-delay}, on the worker thread the call runs on. */
    private void pause() {
        long millis = ThreadLocalRandom.current().nextLong(slowDelay.toMillis() / 2, slowDelay.toMillis() + 1);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
