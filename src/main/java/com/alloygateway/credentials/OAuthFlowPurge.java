package com.alloygateway.credentials;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.alloygateway.db.Database;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/** Forgets OAuth flows a day after they expired (until then `oauthFlow` still answers for them). */
@ApplicationScoped
public class OAuthFlowPurge {

    static final Duration KEPT_AFTER_EXPIRY = Duration.ofDays(1);

    private final Database db;
    private final OAuthFlowRepository repository;

    OAuthFlowPurge(Database db, OAuthFlowRepository repository) {
        this.db = db;
        this.repository = repository;
    }

    @Scheduled(every = "${gateway.execution.purge-every}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> purge() {
        return db.write(s -> repository.purgeExpired(s, Instant.now().minus(KEPT_AFTER_EXPIRY))).invoke(count -> {
            if (count > 0) {
                Log.infof("Purged %d expired OAuth flows", count);
            }
        }).replaceWithVoid();
    }
}
