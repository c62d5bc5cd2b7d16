package com.alloygateway.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.alloygateway.db.Database;
import com.alloygateway.testing.PostgresResource;

import io.quarkus.test.junit.QuarkusTest;

/** Executions and audit rows past the retention period are purged, one replica at a time. */
@QuarkusTest
class RetentionPurgeTest {

    @Inject
    RetentionPurge purge;

    @Inject
    Database db;

    private String tenant;

    private void row(String table, Instant at) {
        String sql = table.equals("execution") ? """
                insert into execution (id, tenant_id, connector_id, action_id, credential_id, status, attempts,
                  duration_ms, started_at) values (:id, :tenant, 'shippo', 'createAddress', 'c1', 'SUCCEEDED', 1, 1, :at)"""
                : """
                insert into audit_event (id, tenant_id, kind, operation, occurred_at)
                  values (:id, :tenant, 'CREDENTIAL_DENIED', 'deleteCredential', :at)""";
        db.write(s -> s.createNativeQuery(sql).setParameter("id", UUID.randomUUID()).setParameter("tenant", tenant)
                .setParameter("at", at).executeUpdate()).await().indefinitely();
    }

    private long count(String table) {
        return db.read(s -> s.createNativeQuery("select count(*) from " + table + " where tenant_id = :t", Long.class)
                .setParameter("t", tenant).getSingleResult()).await().indefinitely();
    }

    @Test
    void oldRowsGoRecentOnesStay() {
        tenant = "retention-" + UUID.randomUUID();
        Instant old = Instant.now().minus(Duration.ofDays(120));
        for (int i = 0; i < 3; i++) {
            row("execution", old);
            row("audit_event", old);
        }
        row("execution", Instant.now());
        row("audit_event", Instant.now());

        purge.purgeOlderThan(Instant.now().minus(Duration.ofDays(90))).await().indefinitely();

        assertThat(count("execution")).isEqualTo(1);
        assertThat(count("audit_event")).isEqualTo(1);
    }

    @Test
    void aReplicaThatFindsTheLockTakenLeavesTheRowsToTheOther() throws Exception {
        tenant = "retention-lock-" + UUID.randomUUID();
        row("execution", Instant.now().minus(Duration.ofDays(120)));
        try (Connection other = DriverManager.getConnection(PostgresResource.postgres().getJdbcUrl("postgres", "postgres"));
                Statement st = other.createStatement()) {
            st.execute("select pg_advisory_lock(" + RetentionPurge.LOCK + ")");
            assertThat(purge.purgeOlderThan(Instant.now().minus(Duration.ofDays(90))).await().indefinitely()).isZero();
            assertThat(count("execution")).isEqualTo(1);
            st.execute("select pg_advisory_unlock(" + RetentionPurge.LOCK + ")");
        }
        purge.purgeOlderThan(Instant.now().minus(Duration.ofDays(90))).await().indefinitely();
        assertThat(count("execution")).isZero();
    }
}
