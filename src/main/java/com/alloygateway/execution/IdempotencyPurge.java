package com.alloygateway.execution;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.alloygateway.db.Database;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/** Forgets idempotency keys (and the payloads kept for their replays) once their time is over. */
@ApplicationScoped
public class IdempotencyPurge {

    private final Database db;
    private final ExecutionRepository repository;

    IdempotencyPurge(Database db, ExecutionRepository repository) {
        this.db = db;
        this.repository = repository;
    }

    @Scheduled(every = "${gateway.execution.purge-every}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> purge() {
        return purgeExpired().invoke(count -> {
            if (count > 0) {
                Log.infof("Purged %d expired idempotency keys", count);
            }
        }).replaceWithVoid();
    }

    public Uni<Integer> purgeExpired() {
        return db.write(s -> repository.purgeExpired(s, Instant.now()));
    }
}
