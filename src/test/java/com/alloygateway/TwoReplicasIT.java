package com.alloygateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.alloygateway.testing.AlloyStubs;
import com.alloygateway.testing.PostgresResource;
import com.alloygateway.testing.ProdJar;
import com.alloygateway.testing.Tokens;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Two prod jars on one PostgreSQL, as production runs them behind a load balancer, with WireMock in Alloy's place:
 * requests spread across both keep every guarantee that one replica keeps alone. Both start at the same moment
 * on an empty database (Flyway migrating on both); their purges run every two seconds.
 */
class TwoReplicasIT {

    private static final String DATABASE = "two_replicas";
    private static final String EXECUTE = "/connectors/shippo/actions/createAddress/execute";
    private static final String EXECUTE_MUTATION = """
            mutation($i: ExecuteActionInput!) { executeAction(input: $i) { id status idempotencyKey responseData } }""";

    private static WireMockServer alloy;
    private static OidcWiremockTestResource oidc;
    private static ProdJar a;
    private static ProdJar b;

    @BeforeAll
    static void twoReplicasStartTogetherOnAnEmptyDatabase() throws Exception {
        alloy = new WireMockServer(wireMockConfig().dynamicPort());
        alloy.start();
        oidc = new OidcWiremockTestResource();
        String oidcUrl = oidc.start().get("keycloak.url") + "/realms/quarkus";
        try (Connection db = jdbc("postgres"); Statement st = db.createStatement()) {
            st.execute("drop database if exists " + DATABASE + " with (force)");
            st.execute("create database " + DATABASE);
        }
        List<Map<String, String>> envs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Map<String, String> env = ProdJar.environment(alloy.baseUrl(), oidcUrl, ProdJar.freePort(),
                    ProdJar.freePort(), DATABASE);
            env.put("GATEWAY_EXECUTION_PURGE_EVERY", "2s");
            env.put("GATEWAY_EXECUTION_PURGE_DELAY", "2s");
            env.put("GATEWAY_EXECUTION_RETENTION_PURGE_DELAY", "2s");
            // Small batches, so the two replicas' retention purges interleave batch by batch.
            env.put("GATEWAY_EXECUTION_RETENTION_BATCH", "50");
            envs.add(env);
        }
        a = ProdJar.start(envs.get(0), Path.of("target", "replica-a.log"),
                ProdJar.imageFlags().toArray(String[]::new));
        b = ProdJar.start(envs.get(1), Path.of("target", "replica-b.log"),
                ProdJar.imageFlags().toArray(String[]::new));
        a.awaitReady();
        b.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
        } finally {
            alloy.stop();
            oidc.stop();
        }
    }

    @BeforeEach
    void stubs() {
        alloy.resetAll();
        AlloyStubs.everyUserExists(alloy);
        AlloyStubs.shippoCredentialPerUser(alloy);
        alloy.stubFor(get("/connectors").willReturn(okJson("""
                {"connectors":[{"id":"shippo","name":"Shippo"},{"id":"hubspot","name":"HubSpot"}]}""")));
        alloy.stubFor(post(EXECUTE).willReturn(okJson("""
                {"responseData":{"object_id":"addr_1"}}""")));
    }

    @Test
    void flywayMigratedOnceWhileBothStarted() throws Exception {
        try (Connection db = jdbc(DATABASE); Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("""
                        select version, count(*), bool_and(success) from flyway_schema_history
                        where version is not null group by version order by version::int""")) {
            List<String> versions = new ArrayList<>();
            while (rs.next()) {
                assertThat(rs.getInt(2)).as("rows of version " + rs.getString(1)).isEqualTo(1);
                assertThat(rs.getBoolean(3)).isTrue();
                versions.add(rs.getString(1));
            }
            assertThat(versions).containsExactly("1", "2", "3", "4", "5", "6");
        }
        assertThat(a.log() + b.log()).doesNotContain("FlywayException").doesNotContain("\"level\":\"ERROR\"");
    }

    @Test
    void tenConcurrentCreateUsersAcrossBothMakeOneAlloyUser() throws Exception {
        alloy.resetAll();
        alloy.stubFor(get(urlPathMatching("/users/.+")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"message":"User not found"}""")));
        // Slow, so that every other call arrives while the first is at Alloy.
        alloy.stubFor(post("/users").willReturn(okJson("""
                {"userId":"6f1e2d3c4b5a69788796a5b4"}""").withFixedDelay(1500)));
        String token = Tokens.of("replicas-create-" + UUID.randomUUID());
        List<JsonPath> answers = concurrently(10, i -> graphql(replica(i), token,
                "mutation { createUser { alloyUserId provisioned } }", Map.of()));
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.getString("errors")).isNull();
            assertThat(answer.getString("data.createUser.alloyUserId")).isEqualTo("6f1e2d3c4b5a69788796a5b4");
        });
        alloy.verify(1, postRequestedFor(urlEqualTo("/users")));
    }

    @Test
    void oneIdempotencyKeySentToBothAtOnceRunsOnce() throws Exception {
        alloy.stubFor(post(EXECUTE).willReturn(okJson("""
                {"responseData":{"object_id":"addr_once"}}""").withFixedDelay(1500)));
        String token = Tokens.of("replicas-key-" + UUID.randomUUID());
        String userId = provision(token);
        Map<String, Object> input = Map.of("i", Map.of("connectorId", "shippo", "actionId", "createAddress",
                "credentialId", "s" + userId, "requestBody", Map.of("zip", "94117"), "idempotencyKey", "order-77"));
        List<JsonPath> answers = concurrently(6, i -> graphql(replica(i), token, EXECUTE_MUTATION, input));
        alloy.verify(1, postRequestedFor(urlEqualTo(EXECUTE)));
        List<JsonPath> ran = answers.stream().filter(r -> r.getString("errors") == null).toList();
        assertThat(ran).isNotEmpty().allSatisfy(r -> {
            assertThat(r.getString("data.executeAction.status")).isEqualTo("SUCCEEDED");
            assertThat(r.getString("data.executeAction.responseData.object_id")).isEqualTo("addr_once");
        });
        assertThat(ran.stream().map(r -> r.getString("data.executeAction.id")).distinct()).hasSize(1);
        assertThat(answers).filteredOn(r -> r.getString("errors") != null)
                .allSatisfy(r -> assertThat(r.getString("errors[0].extensions.code")).isEqualTo("IDEMPOTENCY_CONFLICT"));
        // Done: either replica replays it, and Alloy still saw one call.
        String id = ran.get(0).getString("data.executeAction.id");
        for (ProdJar replica : List.of(a, b)) {
            JsonPath replay = graphql(replica, token, EXECUTE_MUTATION, input);
            assertThat(replay.getString("data.executeAction.id")).isEqualTo(id);
            assertThat(replay.getString("data.executeAction.responseData.object_id")).isEqualTo("addr_once");
        }
        alloy.verify(1, postRequestedFor(urlEqualTo(EXECUTE)));
        try (Connection db = jdbc(DATABASE);
                PreparedStatement st = db.prepareStatement("select count(*) from execution where idempotency_key = ?")) {
            st.setString(1, "order-77");
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("execution rows of the key").isEqualTo(1);
            }
        }
    }

    @Test
    void pagingExecutionsOnBothWhileBothWriteHasNoOverlapAndNoGap() throws Exception {
        String token = Tokens.of("replicas-page-" + UUID.randomUUID());
        String userId = provision(token);
        Map<String, Object> input = Map.of("i", Map.of("connectorId", "shippo", "actionId", "createAddress",
                "credentialId", "s" + userId, "requestBody", Map.of("zip", "94117")));
        for (int i = 0; i < 20; i++) {
            assertThat(graphql(replica(i), token, EXECUTE_MUTATION, input).getString("errors")).isNull();
        }
        List<String> before = pageAll(token, 0);
        assertThat(before).hasSize(20);

        // Four writers, two per replica, while a reader pages from the newest down, alternating replicas.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch writing = new CountDownLatch(4);
        List<Future<?>> writers = new ArrayList<>();
        try {
            for (int w = 0; w < 4; w++) {
                ProdJar replica = replica(w);
                writers.add(pool.submit(() -> {
                    writing.countDown();
                    for (int n = 0; n < 6; n++) {
                        assertThat(graphql(replica, token, EXECUTE_MUTATION, input).getString("errors")).isNull();
                    }
                    return null;
                }));
            }
            writing.await();
            List<String> during = pageAll(token, 1);
            assertThat(new HashSet<>(during)).as("no execution on two pages").hasSameSizeAs(during);
            assertThat(during).as("every execution that existed when paging began").containsAll(before);
            assertThat(during.subList(during.size() - before.size(), during.size()))
                    .as("the older ones, in order, at the end").isEqualTo(before);
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> after = pageAll(token, 0);
        assertThat(after).hasSize(44).doesNotHaveDuplicates();
        assertThat(after.subList(24, 44)).isEqualTo(before);
        // One upstream call per execute, whichever replica took it.
        alloy.verify(44, postRequestedFor(urlEqualTo(EXECUTE)));
    }

    @Test
    void anOAuthFlowStartedOnOneReplicaReturnsThroughTheOther() throws Exception {
        String token = Tokens.of("replicas-oauth-" + UUID.randomUUID());
        provision(token);
        alloy.stubFor(get("/connectors/hubspot/credentials/metadata").willReturn(okJson("""
                {"metadata":[{"authenticationType":"oauth2","authConfigRequired":false,
                  "inputSchema":{"type":"object","required":["userId","authenticationType","redirectUri"]},
                  "sampleInput":{"userId":"u","authenticationType":"oauth2","redirectUri":"https://x.example/cb"}}]}""")));
        alloy.stubFor(get("/connectors/hubspot/credentials").inScenario("consent").whenScenarioStateIs(STARTED)
                .willReturn(okJson("""
                        {"credentials":[]}""")));
        alloy.stubFor(get("/connectors/hubspot/credentials").inScenario("consent").whenScenarioStateIs("done")
                .willReturn(okJson("""
                        {"credentials":[{"credentialId":"9b8a7c6d5e4f30211203a4b5","type":"hubspot-oauth2",
                          "createdAt":"2026-12-03T08:00:00.000Z"}]}""")));
        alloy.stubFor(post("/connectors/hubspot/credentials").willReturn(okJson("""
                {"oauthUrl":"https://consent.example.com/authorize?s=2"}""")));
        JsonPath started = graphql(a, token, """
                mutation($i: CreateCredentialInput!) { createCredential(input: $i) { oauthUrl oauthFlow { id } } }""",
                Map.of("i", Map.of("connectorId", "hubspot", "authenticationType", "oauth2",
                        "redirectUri", "https://app.example.com/done")));
        assertThat(started.getString("errors")).isNull();
        String flowId = started.getString("data.createCredential.oauthFlow.id");
        alloy.verify(postRequestedFor(urlEqualTo("/connectors/hubspot/credentials"))
                .withRequestBody(matchingJsonPath("$.redirectUri",
                        WireMock.equalTo(a.base() + "/oauth/return/" + flowId))));
        alloy.setScenarioState("consent", "done");
        // The browser comes back through the load balancer: to the other replica.
        given().redirects().follow(false).get(b.base() + "/oauth/return/" + flowId).then().statusCode(303)
                .header("Location", equalTo("https://app.example.com/done?flowId=" + flowId
                        + "&status=CONNECTED&connectorId=hubspot&credentialId=9b8a7c6d5e4f30211203a4b5"));
        for (ProdJar replica : List.of(a, b)) {
            JsonPath flow = graphql(replica, token, "query($id: ID!) { oauthFlow(id: $id) { status credential { id } } }",
                    Map.of("id", flowId));
            assertThat(flow.getString("data.oauthFlow.status")).isEqualTo("CONNECTED");
            assertThat(flow.getString("data.oauthFlow.credential.id")).isEqualTo("9b8a7c6d5e4f30211203a4b5");
        }
    }

    @Test
    void purgesRunningOnBothDeleteEachRowOnceWithoutDeadlock() throws Exception {
        Instant now = Instant.now();
        int oldRows = 1_000;
        String tenant = "purge-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection db = jdbc(DATABASE)) {
            db.setAutoCommit(false);
            try (PreparedStatement user = db.prepareStatement("""
                    insert into tenant_user (tenant_id, issuer, subject, alloy_username, created_at)
                    values (?, 'https://it.example.com', ?, ?, now())""")) {
                user.setString(1, tenant);
                user.setString(2, tenant);
                user.setString(3, "gw-" + tenant);
                user.executeUpdate();
            }
            try (PreparedStatement execution = db.prepareStatement("""
                    insert into execution (id, tenant_id, connector_id, action_id, credential_id, status, attempts,
                      duration_ms, started_at) values (?, ?, 'shippo', 'createAddress', 'c1', 'SUCCEEDED', 1, 5, ?)""");
                    PreparedStatement audit = db.prepareStatement("""
                            insert into audit_event (id, tenant_id, kind, operation, occurred_at)
                            values (?, ?, 'EXECUTION', 'executeAction', ?)""");
                    PreparedStatement key = db.prepareStatement("""
                            insert into idempotency_record (tenant_id, idempotency_key, fingerprint, execution_id, state,
                              created_at, expires_at) values (?, ?, 'f', ?, 'COMPLETED', ?, ?)""");
                    PreparedStatement flow = db.prepareStatement("""
                            insert into oauth_flow (id, tenant_id, connector_id, authentication_type, redirect_uri,
                              known_credential_ids, status, started_at, expires_at)
                            values (?, ?, 'hubspot', 'oauth2', 'https://app.example.com/done', '', 'EXPIRED', ?, ?)""")) {
                Timestamp longAgo = Timestamp.from(now.minus(Duration.ofDays(100)));
                Timestamp twoDaysAgo = Timestamp.from(now.minus(Duration.ofDays(2)));
                for (int i = 0; i < oldRows; i++) {
                    execution.setObject(1, UUID.randomUUID());
                    execution.setString(2, tenant);
                    execution.setTimestamp(3, longAgo);
                    execution.addBatch();
                    audit.setObject(1, UUID.randomUUID());
                    audit.setString(2, tenant);
                    audit.setTimestamp(3, longAgo);
                    audit.addBatch();
                    key.setString(1, tenant);
                    key.setString(2, "expired-" + i);
                    key.setObject(3, UUID.randomUUID());
                    key.setTimestamp(4, twoDaysAgo);
                    key.setTimestamp(5, twoDaysAgo);
                    key.addBatch();
                    flow.setString(1, tenant + "-" + i);
                    flow.setString(2, tenant);
                    flow.setTimestamp(3, twoDaysAgo);
                    flow.setTimestamp(4, twoDaysAgo);
                    flow.addBatch();
                }
                execution.executeBatch();
                audit.executeBatch();
                key.executeBatch();
                flow.executeBatch();
            }
            db.commit();
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            try (Connection db = jdbc(DATABASE); Statement st = db.createStatement(); ResultSet rs = st.executeQuery(
                    "select (select count(*) from execution where tenant_id = '" + tenant + "')"
                            + " + (select count(*) from audit_event where tenant_id = '" + tenant + "')"
                            + " + (select count(*) from idempotency_record where tenant_id = '" + tenant + "')"
                            + " + (select count(*) from oauth_flow where tenant_id = '" + tenant + "')")) {
                rs.next();
                return rs.getLong(1) == 0;
            }
        });
        // Each replica logs what it deleted: together, each row exactly once (nothing else here is that old).
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String logs = a.log() + b.log();
            assertThat(purged(logs, "Purged (\\d+) executions and audit rows")).isEqualTo(2 * oldRows);
            assertThat(purged(logs, "Purged (\\d+) expired idempotency keys")).isEqualTo(oldRows);
            assertThat(purged(logs, "Purged (\\d+) expired OAuth flows")).isEqualTo(oldRows);
        });
        assertThat(a.log() + b.log()).doesNotContainIgnoringCase("deadlock").doesNotContain("\"level\":\"ERROR\"");
    }

    private static long purged(String logs, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(logs);
        long total = 0;
        while (m.find()) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }

    /** Every execution id of the tenant, newest first, page by page (7 a page), alternating replicas. */
    private static List<String> pageAll(String token, int firstReplica) {
        List<String> ids = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 100; page++) {
            Map<String, Object> vars = after == null ? Map.of() : Map.of("after", after);
            JsonPath answer = graphql(replica(firstReplica + page), token, """
                    query($after: String) { executions(first: 7, after: $after) {
                      edges { node { id } } pageInfo { hasNextPage endCursor } } }""", vars);
            assertThat(answer.getString("errors")).isNull();
            ids.addAll(answer.getList("data.executions.edges.node.id"));
            if (!answer.getBoolean("data.executions.pageInfo.hasNextPage")) {
                return ids;
            }
            after = answer.getString("data.executions.pageInfo.endCursor");
        }
        throw new AssertionError("more than 100 pages");
    }

    private static String provision(String token) {
        JsonPath me = graphql(a, token, "mutation { createUser { alloyUserId } }", Map.of());
        assertThat(me.getString("errors")).isNull();
        return me.getString("data.createUser.alloyUserId");
    }

    private static ProdJar replica(int i) {
        return i % 2 == 0 ? a : b;
    }

    private interface Call {
        JsonPath call(int i) throws Exception;
    }

    /** {@code n} calls at once (the i-th given i), their answers in order. */
    private static List<JsonPath> concurrently(int n, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<JsonPath>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<JsonPath> task = () -> {
                    go.await();
                    return call.call(index);
                };
                futures.add(pool.submit(task));
            }
            go.countDown();
            List<JsonPath> answers = new ArrayList<>();
            for (Future<JsonPath> future : futures) {
                answers.add(future.get(60, TimeUnit.SECONDS));
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static JsonPath graphql(ProdJar replica, String token, String query, Map<String, Object> variables) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("query", query, "variables", variables))
                .post(replica.base() + "/graphql").then().statusCode(200).extract().jsonPath();
    }

    private static Connection jdbc(String database) throws SQLException {
        return DriverManager.getConnection(PostgresResource.postgres().getJdbcUrl("postgres", database));
    }
}
