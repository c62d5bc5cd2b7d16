package com.alloygateway.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

import jakarta.inject.Singleton;

import io.quarkus.arc.profile.IfBuildProfile;

/**
 * What reached the sandbox, newest last (the last 10,000 calls): tests assert on it the way WireMock tests
 * use {@code verify}, e.g. that a foreign credential id never travelled upstream.
 */
@Singleton
@IfBuildProfile(anyOf = { "dev", "test" })
public class SandboxJournal {

    private static final int CAPACITY = 10_000;

    /** One API call: method, path (with its ids), the {@code x-alloy-userid} it carried, and any body ids. */
    public record Call(String method, String path, String userId, String credentialId, Instant at) {
        public boolean mentions(String id) {
            return path.contains(id) || id.equals(credentialId);
        }
    }

    private final ConcurrentLinkedDeque<Call> calls = new ConcurrentLinkedDeque<>();

    void record(String method, String path, String userId, String credentialId) {
        calls.addLast(new Call(method, path, userId, credentialId, Instant.now()));
        while (calls.size() > CAPACITY) {
            calls.pollFirst();
        }
    }

    public List<Call> calls() {
        return new ArrayList<>(calls);
    }

    public void clear() {
        calls.clear();
    }
}
