package com.alloygateway;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.alloygateway.testing.PostgresResource;
import com.alloygateway.testing.Tokens;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;

/**
 * The packaged prod jar, started as a deployment starts it: {@code java -jar} configured only through the
 * environment names of DESIGN.md, against WireMock in Alloy's place and a stand-in OIDC issuer.
 */
class ProdJarIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final String API_KEY = "it-api-key-0c4f9";

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
        Path log = Path.of("target", "prod-jar-no-key.log");
        Process process = start(env, log);
        boolean exited = process.waitFor(90, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        assertThat(exited).as("the gateway stopped by itself").isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(Files.readString(log)).contains("ALLOY_API_KEY is not set");
    }

    @Test
    void servesTheCatalogFromAlloyAndHasNoSandbox() throws Exception {
        alloy.stubFor(get("/connectors").willReturn(okJson("""
                {"connectors":[{"id":"hubspot","name":"HubSpot","group":["input"],"category":["crm"]}]}""")));
        int port = freePort();
        Process process = start(environment(port), Path.of("target", "prod-jar.log"));
        try {
            String base = "http://localhost:" + port;
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .until(() -> {
                        assertThat(process.isAlive()).as("the gateway is running (see target/prod-jar.log)").isTrue();
                        return given().get(base + "/q/health/ready").statusCode() == 200;
                    });

            given().contentType(ContentType.JSON).body(Map.of("query", "{ connectors { id } }"))
                    .post(base + "/graphql").then().statusCode(401);
            given().auth().oauth2(Tokens.of("it-user")).contentType(ContentType.JSON)
                    .body(Map.of("query", "{ connectors { id name } }"))
                    .post(base + "/graphql").then().statusCode(200)
                    .body("data.connectors[0].id", equalTo("hubspot"));
            alloy.verify(1, getRequestedFor(urlEqualTo("/connectors"))
                    .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + API_KEY))
                    .withHeader("x-api-version", com.github.tomakehurst.wiremock.client.WireMock.equalTo("2025-09")));
            // The embedded sandbox exists in dev and test builds only.
            given().get(base + "/alloy-sandbox/connectors").then().statusCode(404);
        } finally {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static Map<String, String> environment(int port) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("ALLOY_") || k.startsWith("GATEWAY_"));
        env.put("ALLOY_BASE_URL", alloy.baseUrl());
        env.put("ALLOY_API_KEY", API_KEY);
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", oidcUrl);
        env.put("QUARKUS_OIDC_TOKEN_AUDIENCE", Tokens.AUDIENCE);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        int pg = PostgresResource.postgres().getPort();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + pg + "/postgres");
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + pg + "/postgres");
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        return env;
    }

    private static Process start(Map<String, String> env, Path log) throws IOException {
        assertThat(JAR).as("run ./mvnw verify: the jar is built before integration tests").exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", JAR.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
