package com.alloygateway.testing;

import static io.restassured.RestAssured.given;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Keycloak 26 (the distribution from Maven Central, unpacked into {@code target/keycloak} by the
 * build) in dev mode with the project's {@code alloy-dev} realm: users alice/alice and bob/bob.
 */
public class KeycloakResource implements QuarkusTestResourceLifecycleManager {

    private static String baseUrl;

    private Process keycloak;

    @Override
    public Map<String, String> start() {
        try {
            Path home = keycloakHome();
            Path imports = home.resolve("data/import");
            Files.createDirectories(imports);
            Files.copy(Path.of("dev/keycloak/alloy-dev-realm.json"), imports.resolve("alloy-dev-realm.json"),
                    StandardCopyOption.REPLACE_EXISTING);
            int port = freePort();
            File kcSh = home.resolve("bin/kc.sh").toFile();
            kcSh.setExecutable(true);
            ProcessBuilder builder = new ProcessBuilder(kcSh.getAbsolutePath(), "start-dev",
                    "--http-port=" + port, "--import-realm", "--http-management-port=" + freePort())
                    .redirectErrorStream(true)
                    .redirectOutput(Path.of("target", "keycloak-test.log").toFile());
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
            builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            keycloak = builder.start();
            baseUrl = "http://localhost:" + port;
            awaitRealm(Duration.ofSeconds(180));
            return Map.of(
                    "quarkus.oidc.auth-server-url", baseUrl + "/realms/alloy-dev",
                    "quarkus.oidc.token.audience", "alloy-gateway");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An access token of the realm, by password grant, as a frontend's login would get. */
    public static String token(String user, String password) {
        return given().formParam("grant_type", "password").formParam("client_id", "alloy-gateway")
                .formParam("scope", "openid").formParam("username", user).formParam("password", password)
                .post(baseUrl + "/realms/alloy-dev/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    @Override
    public void stop() {
        if (keycloak != null) {
            keycloak.destroy();
            try {
                if (!keycloak.waitFor(30, TimeUnit.SECONDS)) {
                    keycloak.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                keycloak.destroyForcibly();
            }
        }
    }

    private void awaitRealm(Duration timeout) {
        try {
            Awaitility.await("Keycloak's alloy-dev realm").atMost(timeout)
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                    .until(this::realmReady);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("Keycloak was not ready in " + timeout + "; see target/keycloak-test.log",
                    e);
        }
    }

    private boolean realmReady() {
        if (!keycloak.isAlive()) {
            throw new IllegalStateException("Keycloak exited; see target/keycloak-test.log");
        }
        try {
            return given().get(baseUrl + "/realms/alloy-dev/.well-known/openid-configuration").statusCode() == 200;
        } catch (Exception notYet) { // RestAssured throws ConnectException undeclared
            return false; // not listening yet
        }
    }

    private static Path keycloakHome() throws IOException {
        try (var dirs = Files.list(Path.of("target", "keycloak"))) {
            return dirs.filter(p -> p.getFileName().toString().startsWith("keycloak-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(
                            "target/keycloak is empty: run the build (mvn process-test-resources) first"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
