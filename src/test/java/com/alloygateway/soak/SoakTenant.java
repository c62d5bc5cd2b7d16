package com.alloygateway.soak;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import com.alloygateway.testing.Tokens;

/**
 * One of the soak's tenants: its subject, the ids the gateway and Alloy gave it, the credentials it created and
 * the idempotency keys it used (with their input, so a repeat sends exactly the same). Its token is minted
 * again before the five-minute lifetime of {@link Tokens#of} runs out, as a frontend refreshes.
 */
final class SoakTenant {

    private static final Duration TOKEN_REFRESH = Duration.ofMinutes(4);

    /** An executeAction input that may be sent again: its key (null for none), credential and marker. */
    record Keyed(String key, String credentialId, String marker) {
    }

    final int index;
    final String subject;
    volatile String tenantId;
    volatile String alloyUserId;
    final List<String> credentials = new CopyOnWriteArrayList<>();
    final List<Keyed> keys = new CopyOnWriteArrayList<>();
    final Set<String> executionIds = ConcurrentHashMap.newKeySet();
    /** Credential ids seen in its listings that it did not create itself (a create that failed late). */
    final Set<String> unannouncedCredentials = ConcurrentHashMap.newKeySet();

    private volatile String token;
    private volatile long mintedAt;

    SoakTenant(int index, String runId) {
        this.index = index;
        this.subject = "soak-" + runId + "-" + index;
    }

    @Override
    public String toString() {
        return subject;
    }

    synchronized String token() {
        if (token == null || System.nanoTime() - mintedAt > TOKEN_REFRESH.toNanos()) {
            token = Tokens.of(subject);
            mintedAt = System.nanoTime();
        }
        return token;
    }

    String anyCredential() {
        return credentials.get(ThreadLocalRandom.current().nextInt(credentials.size()));
    }

    /** A key this tenant used before, or null if none yet. */
    Keyed anyKey() {
        int n = keys.size();
        return n == 0 ? null : keys.get(ThreadLocalRandom.current().nextInt(n));
    }
}
