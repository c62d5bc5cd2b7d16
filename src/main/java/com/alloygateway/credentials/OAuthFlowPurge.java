package com.alloygateway.credentials;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.alloygateway.db.Database;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Forgets OAuth flows a day after they expired (until then `oauthFlow` still answers for them); one replica at a
 * time (an advisory lock: {@link Database#writeAlone}).
 */
@ApplicationScoped
public class OAuthFlowPurge {

    /** The advisory lock's key: distinct from every other job's. */
    static final long LOCK = 0x616c6c6f79L + 2;

    static final Duration KEPT_AFTER_EXPIRY = Duration.ofDays(1);

    private final Database db;
    private final OAuthFlowRepository repository;

    OAuthFlowPurge(Database db, OAuthFlowRepository repository) {
        this.db = db;
        this.repository = repository;
    }

    @Scheduled(every = "${gateway.execution.purge-every}", delayed = "${gateway.execution.purge-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> purge() {
        Instant before = Instant.now().minus(KEPT_AFTER_EXPIRY);
        return db.writeAlone(LOCK, 0, s -> repository.purgeExpired(s, before)).invoke(count -> {
            if (count > 0) {
                Log.infof("Purged %d expired OAuth flows", count);
            }
        }).replaceWithVoid();
    }
}
