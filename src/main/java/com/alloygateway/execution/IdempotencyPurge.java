package com.alloygateway.execution;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.alloygateway.db.Database;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Forgets idempotency keys (and the payloads kept for their replays) once their time is over; one replica at a
 * time (an advisory lock: {@link Database#writeAlone}), so replicas never delete the same rows at once.
 */
@ApplicationScoped
public class IdempotencyPurge {

    /** The advisory lock's key: distinct from every other job's. */
    static final long LOCK = 0x616c6c6f79L + 1;

    private final Database db;
    private final ExecutionRepository repository;

    IdempotencyPurge(Database db, ExecutionRepository repository) {
        this.db = db;
        this.repository = repository;
    }

    @Scheduled(every = "${gateway.execution.purge-every}", delayed = "${gateway.execution.purge-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> purge() {
        return purgeExpired().invoke(count -> {
            if (count > 0) {
                Log.infof("Purged %d expired idempotency keys", count);
            }
        }).replaceWithVoid();
    }

    public Uni<Integer> purgeExpired() {
        return db.writeAlone(LOCK, 0, s -> repository.purgeExpired(s, Instant.now()));
    }
}
