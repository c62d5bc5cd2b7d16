package com.alloygateway;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.alloygateway.testing.PostgresResource;
import com.alloygateway.testing.ProdJar;
import com.alloygateway.testing.Tokens;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * The packaged prod jar, started as a deployment starts it: {@code java -jar} configured only through the
 * environment names of DESIGN.md, against WireMock in Alloy's place and a stand-in OIDC issuer.
 */
class ProdJarIT {

    private static final String API_KEY = ProdJar.API_KEY;

    private static WireMockServer alloy;
    private static OidcWiremockTestResource oidc;
    private static String oidcUrl;

    @BeforeAll
    static void standIns() {
        alloy = new WireMockServer(wireMockConfig().dynamicPort());
        alloy.start();
        oidc = new OidcWiremockTestResource();
        oidcUrl = oidc.start().get("keycloak.url") + "/realms/quarkus";
    }

    @AfterAll
    static void stopStandIns() {
        alloy.stop();
        oidc.stop();
    }

    @Test
    void refusesToStartWithoutTheApiKey() throws Exception {
        Map<String, String> env = environment(freePort());
        env.remove("ALLOY_API_KEY");
        assertRefusesToStart(env, "ALLOY_API_KEY is not set", Path.of("target", "prod-jar-no-key.log"));
    }

    @Test
    void refusesToStartWithoutATokenAudience() throws Exception {
        Map<String, String> env = environment(freePort());
        env.remove("QUARKUS_OIDC_TOKEN_AUDIENCE");
        assertRefusesToStart(env, "QUARKUS_OIDC_TOKEN_AUDIENCE is not set", Path.of("target", "prod-jar-no-audience.log"));
    }

    @Test
    void refusesToStartWithoutTheOidcIssuer() throws Exception {
        Map<String, String> env = environment(freePort());
        env.remove("QUARKUS_OIDC_AUTH_SERVER_URL");
        // Quarkus OIDC refuses first, naming the property: 'quarkus.oidc.auth-server-url' property must be configured.
        assertRefusesToStart(env, "quarkus.oidc.auth-server-url", Path.of("target", "prod-jar-no-oidc.log"));
    }

    private static void assertRefusesToStart(Map<String, String> env, String message, Path log) throws Exception {
        Process process = start(env, log);
        boolean exited = process.waitFor(90, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        assertThat(exited).as("the gateway stopped by itself").isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(Files.readString(log)).contains(message);
    }

    @Test
    void aSigtermDuringAnExecuteLetsItFinishAndRecordIt() throws Exception {
        alloy.resetAll();
        String userId = UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        String credentialId = "c" + userId.substring(1);
        alloy.stubFor(get("/connectors").willReturn(okJson("""
                {"connectors":[{"id":"shippo","name":"Shippo"}]}""")));
        alloy.stubFor(get(urlPathMatching("/users/gw-[0-9a-f]+")).willReturn(okJson("""
                {"userId":"%s"}""".formatted(userId))));
        alloy.stubFor(get("/connectors/shippo/credentials").willReturn(okJson("""
                {"credentials":[{"credentialId":"%s","type":"shippo-apiKey"}]}""".formatted(credentialId))));
        alloy.stubFor(get("/connectors/shippo/actions/createAddress").willReturn(okJson("""
                {"action":{"id":"createAddress","displayName":"Create an address","httpMethod":"post",
                 "path":"/addresses","parameters":[]}}""")));
        alloy.stubFor(post("/connectors/shippo/actions/createAddress/execute").willReturn(okJson("""
                {"responseData":{"object_id":"slow"}}""").withFixedDelay(3000)));
        int port = freePort();
        int managementPort = freePort();
        Process process = start(environment(port, managementPort), Path.of("target", "prod-jar-sigterm.log"));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            String base = "http://localhost:" + port;
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> given().get("http://localhost:" + managementPort + "/q/health/ready").statusCode() == 200);
            String token = Tokens.of("sigterm-" + userId);
            graphql(base, token, "mutation { createUser { alloyUserId } }", Map.of());
            Future<ValidatableResponse> execute = pool.submit(() -> graphql(base, token, """
                    mutation($i: ExecuteActionInput!) { executeAction(input: $i) { id status responseData } }""",
                    Map.of("i", Map.of("connectorId", "shippo", "actionId", "createAddress",
                            "credentialId", credentialId))));
            // The call is at Alloy: now the pod is told to stop.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !alloy.findAll(
                    postRequestedFor(urlEqualTo("/connectors/shippo/actions/createAddress/execute"))).isEmpty());
            process.destroy();
            ValidatableResponse answered = execute.get(30, TimeUnit.SECONDS);
            answered.body("data.executeAction.status", equalTo("SUCCEEDED"))
                    .body("data.executeAction.responseData.object_id", equalTo("slow"));
            String executionId = answered.extract().path("data.executeAction.id");
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the gateway stopped").isTrue();
            // Tracing is off by default: a request's log line carries its id and no trace of a span.
            assertThat(Files.readString(Path.of("target", "prod-jar-sigterm.log")))
                    .containsPattern("\"mdc\":\\{\"requestId\":\"[0-9a-f-]{36}\"\\}")
                    .doesNotContain("\"traceId\"");
            try (Connection db = DriverManager.getConnection(PostgresResource.postgres().getJdbcUrl("postgres", "postgres"));
                    PreparedStatement row = db.prepareStatement("select status from execution where id = ?::uuid")) {
                row.setString(1, executionId);
                try (ResultSet rs = row.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("SUCCEEDED");
                }
            }
        } finally {
            pool.shutdownNow();
            process.destroyForcibly();
        }
    }

    @Test
    void fiftyMegabyteAnswersAreCutOffOnAPodSizedHeapAndTheGatewayStaysUp() throws Exception {
        alloy.resetAll();
        String userId = UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        String credentialId = "c" + userId.substring(1);
        alloy.stubFor(get("/connectors").willReturn(okJson("""
                {"connectors":[{"id":"shippo","name":"Shippo"}]}""")));
        alloy.stubFor(get(urlPathMatching("/users/gw-[0-9a-f]+")).willReturn(okJson("""
                {"userId":"%s"}""".formatted(userId))));
        alloy.stubFor(get("/connectors/shippo/credentials").willReturn(okJson("""
                {"credentials":[{"credentialId":"%s","type":"shippo-apiKey"}]}""".formatted(credentialId))));
        alloy.stubFor(get("/connectors/shippo/actions/listAddresses").willReturn(okJson("""
                {"action":{"id":"listAddresses","displayName":"List addresses","httpMethod":"get",
                 "path":"/addresses","parameters":[]}}""")));
        byte[] fifty = ("{\"responseData\":\"" + "x".repeat(50_000_000) + "\"}").getBytes();
        alloy.stubFor(post("/connectors/shippo/actions/listAddresses/execute").willReturn(WireMock.aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody(fifty)));
        int port = freePort();
        int managementPort = freePort();
        // The image's JVM flags (a heap of 128 MiB at most, a young generation of 24 MiB): a 50 MB answer is refused
        // by its size, not by running out of heap.
        Process process = start(environment(port, managementPort), Path.of("target", "prod-jar-large.log"),
                ProdJar.imageFlags().toArray(String[]::new));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            String base = "http://localhost:" + port;
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> given().get("http://localhost:" + managementPort + "/q/health/ready").statusCode() == 200);
            String token = Tokens.of("large-" + userId);
            graphql(base, token, "mutation { createUser { alloyUserId } }", Map.of());
            String execute = "mutation($i: ExecuteActionInput!) { executeAction(input: $i) { id status } }";
            Map<String, Object> input = Map.of("i", Map.of("connectorId", "shippo", "actionId", "listAddresses",
                    "credentialId", credentialId));
            List<Future<ValidatableResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(pool.submit(() -> given().auth().oauth2(token).contentType(ContentType.JSON)
                        .body(Map.of("query", execute, "variables", input)).post(base + "/graphql").then()
                        .statusCode(200)));
            }
            for (Future<ValidatableResponse> call : calls) {
                call.get(60, TimeUnit.SECONDS)
                        .body("errors[0].extensions.code", equalTo("UPSTREAM_ERROR"))
                        .body("errors[0].extensions.reason", equalTo("RESPONSE_TOO_LARGE"));
            }
            assertThat(process.isAlive()).as("the gateway is up (see target/prod-jar-large.log)").isTrue();
            graphql(base, token, "{ connectors { id } }", Map.of()).body("data.connectors[0].id", equalTo("shippo"));
            assertThat(Files.readString(Path.of("target", "prod-jar-large.log"))).doesNotContain("OutOfMemoryError");
        } finally {
            pool.shutdownNow();
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * The JVM image's AppCDS step (Dockerfile.jvm) as it runs there: the archive is written with the image's flags
     * and no database, then taken at start. With {@code -Xshare:on} a JVM that cannot use it refuses to start.
     */
    @Test
    void theImagesAppCdsArchiveIsWrittenWithoutADatabaseAndTakenAtStart() throws Exception {
        String dockerfile = Files.readString(ProdJar.DOCKERFILE);
        assertThat(dockerfile)
                .contains("-XX:ArchiveClassesAtExit=/deployments/app-cds.jsa -Dquarkus.appcds.generate=true")
                .contains("-XX:SharedArchiveFile=/deployments/app-cds.jsa");
        Path archive = Path.of("target", "it-app-cds.jsa");
        Files.deleteIfExists(archive);
        List<String> write = new ArrayList<>(List.of(ProdJar.JAVA));
        write.addAll(ProdJar.imageFlags());
        write.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dquarkus.appcds.generate=true",
                "-jar", ProdJar.JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(write).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "it-app-cds-write.log").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("ALLOY_")
                || k.startsWith("GATEWAY_"));
        Process writer = builder.start();
        assertThat(writer.waitFor(120, TimeUnit.SECONDS)).as("the archive is written within 2 minutes").isTrue();
        assertThat(writer.exitValue()).as("see target/it-app-cds-write.log").isZero();
        assertThat(Files.size(archive)).as("archive size").isGreaterThan(1_000_000);

        alloy.stubFor(get("/connectors").willReturn(okJson("""
                {"connectors":[{"id":"shippo","name":"Shippo"}]}""")));
        List<String> flags = new ArrayList<>(ProdJar.imageFlags());
        flags.addAll(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive));
        try (ProdJar jar = ProdJar.start(environment(freePort()), Path.of("target", "prod-jar-appcds.log"),
                flags.toArray(String[]::new))) {
            jar.awaitReady();
            graphql(jar.base(), Tokens.of("appcds-user"), "{ connectors { id } }", Map.of())
                    .body("data.connectors[0].id", equalTo("shippo"));
        }
    }

    @Test
    void startsFromTheEnvironmentAloneAndCompletesAnOAuthFlow() throws Exception {
        String userId = "65a1f0c2b3d4e5f60718293a";
        alloy.stubFor(get("/connectors").willReturn(okJson("""
                {"connectors":[{"id":"hubspot","name":"HubSpot","group":["input"],"category":["crm"]}]}""")));
        alloy.stubFor(get(urlPathMatching("/users/gw-[0-9a-f]+")).willReturn(okJson("""
                {"userId":"%s"}""".formatted(userId))));
        int port = freePort();
        int managementPort = freePort();
        // Tracing on, as the prod overlay has it (k8s/overlays/prod/config.env): the jar's default is off.
        Map<String, String> env = environment(port, managementPort);
        env.put("QUARKUS_OTEL_SDK_DISABLED", "false");
        Process process = start(env, Path.of("target", "prod-jar.log"));
        try {
            String base = "http://localhost:" + port;
            String management = "http://localhost:" + managementPort;
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .until(() -> {
                        assertThat(process.isAlive()).as("the gateway is running (see target/prod-jar.log)").isTrue();
                        return given().get(management + "/q/health/ready").statusCode() == 200;
                    });

            given().contentType(ContentType.JSON).body(Map.of("query", "{ connectors { id } }"))
                    .post(base + "/graphql").then().statusCode(401);
            String token = Tokens.of("it-user");
            // With tracing on, the caller's trace context is continued inside, never passed to Alloy.
            given().auth().oauth2(token).contentType(ContentType.JSON)
                    .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                    .header("baggage", "tenant=someone-else")
                    .body(Map.of("query", "{ connectors { id name } }")).post(base + "/graphql").then()
                    .statusCode(200).body("data.connectors[0].id", equalTo("hubspot"));
            graphql(base, token, "mutation { createUser { alloyUserId } }", Map.of())
                    .body("data.createUser.alloyUserId", equalTo(userId));
            given().get(base + "/q/metrics").then().statusCode(404);
            given().get(management + "/q/metrics").then().statusCode(200)
                    .body(containsString("alloy_client_requests_seconds_count"));
            // Prod logs are JSON lines; a request's lines carry its id and its trace id; no key or token is
            // ever written.
            String log = Files.readString(Path.of("target", "prod-jar.log"));
            assertThat(log).containsPattern("\"mdc\":\\{[^}]*\"requestId\":\"[0-9a-f-]{36}\"")
                    .containsPattern("\"mdc\":\\{[^}]*\"traceId\":\"[0-9a-f]{32}\"")
                    .doesNotContain(API_KEY)
                    .doesNotContain(token);
            alloy.verify(1, getRequestedFor(urlEqualTo("/connectors"))
                    .withHeader("Authorization", WireMock.equalTo("Bearer " + API_KEY))
                    .withHeader("x-api-version", WireMock.equalTo("2025-09")));
            // OAuth through the prod jar: the allowlist from the environment, Alloy given the gateway's public
            // return address, the browser's return finding the new credential and handing it to the app.
            alloy.stubFor(get("/connectors/hubspot/credentials/metadata").willReturn(okJson("""
                    {"metadata":[{"authenticationType":"oauth2","authConfigRequired":false,
                      "inputSchema":{"type":"object","required":["userId","authenticationType","redirectUri"]},
                      "sampleInput":{"userId":"u","authenticationType":"oauth2","redirectUri":"https://x.example/cb"}}]}""")));
            alloy.stubFor(get("/connectors/hubspot/credentials").inScenario("consent").whenScenarioStateIs(STARTED)
                    .willReturn(okJson("""
                            {"credentials":[]}""")));
            alloy.stubFor(get("/connectors/hubspot/credentials").inScenario("consent").whenScenarioStateIs("done")
                    .willReturn(okJson("""
                            {"credentials":[{"credentialId":"7a1b2c3d4e5f607182930a1b","type":"hubspot-oauth2",
                              "createdAt":"2026-12-02T10:00:00.000Z"}]}""")));
            alloy.stubFor(post("/connectors/hubspot/credentials")
                    .willReturn(okJson("""
                            {"oauthUrl":"https://consent.example.com/authorize?s=1"}""")));
            String start = "mutation($i: CreateCredentialInput!) { createCredential(input: $i) { oauthUrl oauthFlow { id } } }";
            given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body(Map.of("query", start, "variables", Map.of("i", Map.of("connectorId", "hubspot",
                            "authenticationType", "oauth2", "redirectUri", "http://app.example.com/done"))))
                    .post(base + "/graphql").then().statusCode(200)
                    .body("errors[0].extensions.violations[0].path", equalTo("/input/redirectUri"));
            alloy.verify(0, postRequestedFor(urlEqualTo("/connectors/hubspot/credentials")));
            String flowId = graphql(base, token, start, Map.of("i", Map.of("connectorId", "hubspot",
                    "authenticationType", "oauth2", "redirectUri", "https://app.example.com/done")))
                    .body("data.createCredential.oauthUrl", equalTo("https://consent.example.com/authorize?s=1"))
                    .extract().path("data.createCredential.oauthFlow.id");
            alloy.verify(postRequestedFor(urlEqualTo("/connectors/hubspot/credentials"))
                    .withRequestBody(matchingJsonPath("$.redirectUri",
                            WireMock.equalTo(base + "/oauth/return/" + flowId))));
            alloy.setScenarioState("consent", "done");
            given().redirects().follow(false).get(base + "/oauth/return/" + flowId).then().statusCode(303)
                    .header("Location", equalTo("https://app.example.com/done?flowId=" + flowId
                            + "&status=CONNECTED&connectorId=hubspot&credentialId=7a1b2c3d4e5f607182930a1b"));
            graphql(base, token, "query($id: ID!) { oauthFlow(id: $id) { status credential { id } } }",
                    Map.of("id", flowId)).body("data.oauthFlow.status", equalTo("CONNECTED"));
            // The embedded sandbox exists in dev and test builds only.
            given().get(base + "/alloy-sandbox/connectors").then().statusCode(404);
            assertThat(alloy.findAll(WireMock.anyRequestedFor(WireMock.anyUrl())))
                    .isNotEmpty()
                    .noneMatch(request -> request.containsHeader("traceparent") || request.containsHeader("tracestate")
                            || request.containsHeader("baggage"));
        } finally {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static ValidatableResponse graphql(String base, String token, String query,
            Map<String, Object> variables) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("query", query, "variables", variables))
                .post(base + "/graphql").then().statusCode(200)
                .body("errors", nullValue());
    }

    private static Map<String, String> environment(int port) throws IOException {
        return environment(port, freePort());
    }

    private static Map<String, String> environment(int port, int managementPort) {
        return ProdJar.environment(alloy.baseUrl(), oidcUrl, port, managementPort, "postgres");
    }

    private static Process start(Map<String, String> env, Path log, String... jvmOptions) throws IOException {
        return ProdJar.start(env, log, jvmOptions).process();
    }

    private static int freePort() throws IOException {
        return ProdJar.freePort();
    }
}
