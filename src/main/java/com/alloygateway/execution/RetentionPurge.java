package com.alloygateway.execution;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import com.alloygateway.db.Database;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Forgets executions and audit rows older than {@code GATEWAY_RETENTION} (90 days), oldest first, in batches
 * of {@code retentionBatch} per transaction. One replica at a time: each batch runs under a PostgreSQL
 * advisory lock ({@link Database#writeAlone}), so replicas that find it taken skip the batch rather than wait
 * or delete the same rows.
 */
@ApplicationScoped
public class RetentionPurge {

    /** The advisory lock's key: any constant the gateway uses for nothing else. */
    static final long LOCK = 0x616c6c6f79L;
    /** Batches per run at most, so one run never holds the database for long. */
    static final int MAX_BATCHES = 100;

    private final Database db;
    private final ExecutionConfig config;

    RetentionPurge(Database db, ExecutionConfig config) {
        this.db = db;
        this.config = config;
    }

    @Scheduled(every = "${gateway.execution.purge-every}", delayed = "${gateway.execution.retention-purge-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> purge() {
        return purgeOlderThan(Instant.now().minus(config.retention())).invoke(count -> {
            if (count > 0) {
                Log.infof("Purged %d executions and audit rows past the retention period", count);
            }
        }).replaceWithVoid();
    }

    /** Deletes what started (or occurred) before {@code cutoff}; the number of rows deleted by this replica. */
    public Uni<Integer> purgeOlderThan(Instant cutoff) {
        return batches(cutoff, 0, 0);
    }

    private Uni<Integer> batches(Instant cutoff, int done, int batch) {
        if (batch >= MAX_BATCHES) {
            return Uni.createFrom().item(done);
        }
        return db.writeAlone(LOCK, -1, s -> deleteBatch(s, cutoff))
                .chain(deleted -> deleted <= 0
                        ? Uni.createFrom().item(done + Math.max(deleted, 0))
                        : batches(cutoff, done + deleted, batch + 1));
    }

    private Uni<Integer> deleteBatch(Mutiny.Session s, Instant cutoff) {
        int size = config.retentionBatch();
        return s.createNativeQuery("""
                delete from execution where id in
                  (select id from execution where started_at < :cutoff order by started_at limit :size)""")
                .setParameter("cutoff", cutoff).setParameter("size", size).executeUpdate()
                .chain(executions -> s.createNativeQuery("""
                        delete from audit_event where id in
                          (select id from audit_event where occurred_at < :cutoff order by occurred_at limit :size)""")
                        .setParameter("cutoff", cutoff).setParameter("size", size).executeUpdate()
                        .map(audits -> executions + audits));
    }
}
