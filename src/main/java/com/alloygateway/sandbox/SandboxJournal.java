package com.alloygateway.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

import io.quarkus.arc.profile.IfBuildProfile;

/**
 * What reached the sandbox, newest last (the last 10,000 calls): tests assert on it the way WireMock tests
 * use {@code verify}, e.g. that a foreign credential id never travelled upstream. Apart from it, every execute
 * whose action ran (the last 1,000,000), for counting what took effect at the third party.
 */
@Singleton
@IfBuildProfile(anyOf = { "dev", "test" })
public class SandboxJournal {

    private static final int CAPACITY = 10_000;
    private static final int EXECUTION_CAPACITY = 1_000_000;

    /** One API call: method, path (with its ids), the {@code x-alloy-userid} it carried, and any body ids. */
    public record Call(String method, String path, String userId, String credentialId, Instant at) {
        public boolean mentions(String id) {
            return path.contains(id) || id.equals(credentialId);
        }
    }

    /**
     * An execute whose action ran: the end user and credential, the connector and action, the request body as
     * sent (compact JSON), and the status the sandbox answered with (a 502 from an injected fault after the
     * action, or one that came too late for the gateway, still counts: the action ran).
     */
    public record Executed(String userId, String credentialId, String connectorId, String actionId,
            String requestBody, int status, Instant at) {
    }

    private final ConcurrentLinkedDeque<Call> calls = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    private final ConcurrentLinkedDeque<Executed> executions = new ConcurrentLinkedDeque<>();
    private final AtomicInteger executionCount = new AtomicInteger();

    void record(String method, String path, String userId, String credentialId) {
        calls.addLast(new Call(method, path, userId, credentialId, Instant.now()));
        // A counter, not calls.size(): that walks the whole deque on every call.
        if (size.incrementAndGet() > CAPACITY && calls.pollFirst() != null) {
            size.decrementAndGet();
        }
    }

    void executed(Executed execution) {
        executions.addLast(execution);
        if (executionCount.incrementAndGet() > EXECUTION_CAPACITY && executions.pollFirst() != null) {
            executionCount.decrementAndGet();
        }
    }

    public List<Call> calls() {
        return new ArrayList<>(calls);
    }

    /** The executes whose action ran, oldest first. */
    public List<Executed> executions() {
        return new ArrayList<>(executions);
    }

    public void clear() {
        calls.clear();
        size.set(0);
        executions.clear();
        executionCount.set(0);
    }
}
