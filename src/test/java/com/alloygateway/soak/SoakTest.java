package com.alloygateway.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import com.alloygateway.sandbox.SandboxJournal;
import com.alloygateway.sandbox.SandboxJournal.Executed;
import com.alloygateway.soak.SoakChecks.Row;
import com.alloygateway.testing.PostgresResource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A soak, not a timed test (issue 10, point 9): 50 tenants, two workers each, for {@code soak.minutes}
 * minutes of mixed catalog, credential and idempotent executeAction traffic against the embedded sandbox with
 * injected 429s, 5xx and slow answers ({@link FaultyAlloy}). Then it checks, against the clients' answers, the
 * database and the sandbox's record of what ran (see {@link SoakChecks}): no execution lost or duplicated, no
 * key run twice, nothing across tenants, errors only of the injected kinds, the JVM's resident set within
 * {@code soak.max-rss-mib}. Runs only when asked: {@code bench/soak.sh}, or
 * {@code ./mvnw test -Dtest=SoakTest -Dsoak.minutes=10 -DargLine=-Xmx512m}; docs/soak.md has a run's numbers.
 */
@QuarkusTest
@TestProfile(SoakTest.FaultyAlloy.class)
@EnabledIfSystemProperty(named = "soak.minutes", matches = "\\d+")
class SoakTest {

    /**
     * The sandbox answers 5% of calls with a 429 ({@code Retry-After: 1}), 3% with a 5xx and 5% slowly (1.5 to
     * 3 s, so about a third of those outlast the 2.5 s attempt timeout); catalog answers are cached for 15 s
     * only, so catalog reads meet the faults too.
     */
    public static class FaultyAlloy implements QuarkusTestProfile {
        static final Duration SLOW_DELAY = Duration.ofSeconds(3);

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "alloy-sandbox.faults.rate-limited", "0.05",
                    "alloy-sandbox.faults.server-error", "0.03",
                    "alloy-sandbox.faults.slow", "0.05",
                    "alloy-sandbox.faults.slow-delay", SLOW_DELAY.toMillis() + "ms",
                    "alloy.attempt-timeout", "2500ms",
                    "gateway.catalog.ttl", "15S");
        }
    }

    private static final int WORKERS_PER_TENANT = 2;

    @TestHTTPResource("/graphql")
    URI graphql;

    @Inject
    SandboxJournal journal;

    private Map<String, Row> rows;
    private List<Executed> executed;

    @Test
    void tenantsUnderFaultsLoseNothingDuplicateNothingAndMixNothing() throws Exception {
        Duration duration = Duration.ofMinutes(Integer.getInteger("soak.minutes"));
        int tenantCount = Integer.getInteger("soak.tenants", 50);
        long maxRssMiB = Long.getLong("soak.max-rss-mib", 1024);
        Instant windowStart = Instant.now();
        String runId = UUID.randomUUID().toString().substring(0, 8);
        List<SoakTenant> tenants = new ArrayList<>();
        for (int i = 0; i < tenantCount; i++) {
            tenants.add(new SoakTenant(i, runId));
        }
        ExecutorService workers = Executors.newFixedThreadPool(tenantCount * WORKERS_PER_TENANT);
        ExecutorService repeats = Executors.newCachedThreadPool();
        SoakTraffic traffic = new SoakTraffic(new GraphQLHttp(graphql), tenants, repeats,
                Long.getLong("soak.think-ms", 3000));
        List<MemorySampler.Sample> memory;
        long loadStart;
        long loadEnd;
        try (MemorySampler sampler = new MemorySampler(5)) {
            all(workers, tenants.stream().<Callable<Void>> map(t -> () -> {
                traffic.setUp(t);
                return null;
            }).toList());
            loadStart = System.nanoTime();
            long deadline = loadStart + duration.toNanos();
            List<Callable<Void>> loops = new ArrayList<>();
            for (SoakTenant t : tenants) {
                for (int w = 0; w < WORKERS_PER_TENANT; w++) {
                    loops.add(() -> {
                        traffic.run(t, deadline);
                        return null;
                    });
                }
            }
            all(workers, loops);
            loadEnd = System.nanoTime();
            // Slow answers the gateway gave up on still run their action after the wait: let them land.
            Thread.sleep(FaultyAlloy.SLOW_DELAY.plusSeconds(2).toMillis());
            memory = sampler.samples();
        } finally {
            workers.shutdownNow();
            repeats.shutdownNow();
        }

        SoakChecks checks = check(tenants, traffic, windowStart);
        SoakReport report = report(tenants, traffic, memory, maxRssMiB, checks,
                TimeUnit.NANOSECONDS.toSeconds(loadEnd - loadStart));
        System.out.println(report.text());
        Path out = Path.of("target/soak/summary.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.text());

        assertThat(checks.counts()).as("violations (see target/soak/summary.md)").isEmpty();
        assertThat(memory.stream().mapToLong(MemorySampler.Sample::rssMiB).max().orElseThrow())
                .as("RSS in MiB").isLessThanOrEqualTo(maxRssMiB);
    }

    private SoakChecks check(List<SoakTenant> tenants, SoakTraffic traffic, Instant windowStart) throws SQLException {
        SoakChecks checks = new SoakChecks();
        traffic.violations.forEach(v -> checks.violation(v.startsWith("cross-tenant") ? "cross-tenant answer"
                : "wrong answer", v));
        Map<String, String> ownership;
        int foreignRows;
        try (Connection db = DriverManager.getConnection(PostgresResource.postgres().getJdbcUrl("postgres",
                "postgres"))) {
            Array tenantIds = db.createArrayOf("varchar", tenants.stream().map(t -> t.tenantId).toArray());
            rows = rows(db, tenantIds);
            ownership = ownership(db);
            foreignRows = foreignRows(db, tenantIds, windowStart);
        }
        executed = journal.executions().stream().filter(e -> e.requestBody().contains("\"soak ")).toList();
        List<Outcome> outcomes = List.copyOf(traffic.outcomes);
        checks.errors(outcomes);
        checks.requestsToRows(outcomes, rows);
        checks.rows(outcomes, rows);
        checks.replays(outcomes);
        checks.upstream(executed, tenants, outcomes, rows, ownership);
        checks.tenancy(tenants, rows, ownership, foreignRows);
        faultsWereMet(checks, outcomes, rows.values(), executed);
        return checks;
    }

    /** A soak that met no fault proves nothing: each injected kind must have left its trace. */
    private static void faultsWereMet(SoakChecks checks, List<Outcome> outcomes, Collection<Row> rows,
            List<Executed> executed) {
        if (rows.stream().noneMatch(r -> r.attempts() > 1)) {
            checks.violation("fault not met", "no execution was retried after a 429");
        }
        if (outcomes.stream().noneMatch(o -> "UPSTREAM_ERROR".equals(o.code()))
                || executed.stream().noneMatch(e -> e.status() == 502)) {
            checks.violation("fault not met", "no 5xx before and after an action");
        }
        if (rows.stream().noneMatch(r -> "UNKNOWN".equals(r.status()))) {
            checks.violation("fault not met", "no slow answer outlasted the attempt timeout");
        }
    }

    private SoakReport report(List<SoakTenant> tenants, SoakTraffic traffic, List<MemorySampler.Sample> memory,
            long maxRssMiB, SoakChecks checks, long seconds) {
        SoakReport report = new SoakReport();
        report.line("# Soak: %d tenants x %d workers, %d s of load, %s", tenants.size(), WORKERS_PER_TENANT, seconds,
                Instant.now()).line("");
        report.requests(traffic.outcomes, Math.max(1, seconds));
        report.errors(traffic.outcomes);
        report.rows(rows.values(), executed);
        report.memory(memory, maxRssMiB);
        report.violations(checks);
        return report;
    }

    private static Map<String, Row> rows(Connection db, Array tenantIds) throws SQLException {
        Map<String, Row> rows = new HashMap<>();
        try (PreparedStatement q = db.prepareStatement("select id, tenant_id, status, error_code, error_source, "
                + "idempotency_key, credential_id, attempts from execution where tenant_id = any(?)")) {
            q.setArray(1, tenantIds);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    Row row = new Row(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                            r.getString(6), r.getString(7), r.getInt(8));
                    rows.put(row.id(), row);
                }
            }
        }
        return rows;
    }

    private static Map<String, String> ownership(Connection db) throws SQLException {
        Map<String, String> owners = new HashMap<>();
        try (PreparedStatement q = db.prepareStatement("select credential_id, tenant_id from credential_ownership");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                owners.put(r.getString(1), r.getString(2));
            }
        }
        return owners;
    }

    private static int foreignRows(Connection db, Array tenantIds, Instant since) throws SQLException {
        try (PreparedStatement q = db.prepareStatement(
                "select count(*) from execution where started_at >= ? and not (tenant_id = any(?))")) {
            q.setTimestamp(1, Timestamp.from(since));
            q.setArray(2, tenantIds);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private static void all(ExecutorService pool, List<Callable<Void>> tasks) throws Exception {
        for (Future<Void> f : pool.invokeAll(tasks)) {
            f.get();
        }
    }
}
