package com.alloygateway.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;

/**
 * The packaged prod jar ({@code target/quarkus-app/quarkus-run.jar}) run as a deployment runs it:
 * {@code java -jar}, configured only through the environment names of DESIGN.md, its output in a log file.
 */
public final class ProdJar implements AutoCloseable {

    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    public static final String API_KEY = "it-api-key-0c4f9";
    /** This JVM's {@code java}: what the prod jar and the checks of its flags run on. */
    public static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** Where the JVM image's flags are written once; the jib build, bench/common.sh and the README repeat them. */
    public static final Path DOCKERFILE = Path.of("src", "main", "docker", "Dockerfile.jvm");
    private static final Pattern JAVA_OPTS_APPEND = Pattern.compile("(?m)^ENV JAVA_OPTS_APPEND=\"([^\"]*)\"");

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;

    private ProdJar(Process process, int port, int managementPort, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    /**
     * What a deployment sets: Alloy's address and key, the issuer and audience, the ports, the public address and
     * redirect allowlist, and the database (the embedded PostgreSQL's {@code database}). Nothing of this JVM's own
     * {@code QUARKUS_*}, {@code ALLOY_*} or {@code GATEWAY_*} environment leaks in.
     */
    public static Map<String, String> environment(String alloyBaseUrl, String oidcUrl, int port, int managementPort,
            String database) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("ALLOY_") || k.startsWith("GATEWAY_"));
        env.put("ALLOY_BASE_URL", alloyBaseUrl);
        env.put("ALLOY_API_KEY", API_KEY);
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", oidcUrl);
        env.put("QUARKUS_OIDC_TOKEN_AUDIENCE", Tokens.AUDIENCE);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        env.put("GATEWAY_PUBLIC_URL", "http://localhost:" + port);
        env.put("GATEWAY_OAUTH_REDIRECT_ALLOWLIST", "https://app.example.com/,com.example.app:/oauth");
        int pg = PostgresResource.postgres().getPort();
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + pg + "/" + database);
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + pg + "/" + database);
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        return env;
    }

    /**
     * The JVM flags the image runs the jar with ({@code JAVA_OPTS_APPEND} in {@link #DOCKERFILE}), without its
     * system properties ({@code -D…}, which configure the container, not the JVM).
     */
    public static List<String> imageFlags() throws IOException {
        Matcher m = JAVA_OPTS_APPEND.matcher(Files.readString(DOCKERFILE));
        assertThat(m.find()).as(DOCKERFILE + " sets JAVA_OPTS_APPEND").isTrue();
        return Arrays.stream(m.group(1).trim().split("\\s+")).filter(flag -> flag.startsWith("-X")).toList();
    }

    /** Starts the jar with exactly {@code env} (whose ports it takes from the environment), not waiting for it. */
    public static ProdJar start(Map<String, String> env, Path log, String... jvmOptions) throws IOException {
        assertThat(JAR).as("run ./mvnw verify: the jar is built before integration tests").exists();
        List<String> command = new ArrayList<>(List.of(JAVA));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        return new ProdJar(builder.start(), Integer.parseInt(env.get("QUARKUS_HTTP_PORT")),
                Integer.parseInt(env.get("QUARKUS_MANAGEMENT_PORT")), log);
    }

    /** Waits until readiness (on the management port) is UP; fails at once if the process died. */
    public ProdJar awaitReady() {
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> {
                    assertThat(process.isAlive()).as("the gateway is running (see " + log + ")").isTrue();
                    return given().get(management() + "/q/health/ready").statusCode() == 200;
                });
        return this;
    }

    public String base() {
        return "http://localhost:" + port;
    }

    public String management() {
        return "http://localhost:" + managementPort;
    }

    public Process process() {
        return process;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 20 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
