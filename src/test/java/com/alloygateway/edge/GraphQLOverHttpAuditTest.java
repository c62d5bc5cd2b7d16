package com.alloygateway.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.alloygateway.testing.Tokens;

import io.quarkus.logging.Log;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * graphql-http's audit of the graphql-over-http spec (the reference implementation's own checks), run from
 * Node against the gateway: every MUST passes, and a SHOULD may fail only where this gateway deliberately
 * does otherwise (listed, with why).
 */
@QuarkusTest
class GraphQLOverHttpAuditTest {

    private static final Path AUDIT = Path.of("src", "test", "graphql-http");

    /** SHOULDs (and MAYs) the gateway does otherwise on purpose, by the audit's ids. */
    private static final List<String> DELIBERATE = List.of();

    @TestHTTPResource("/graphql")
    URI graphql;

    @Test
    void theGatewayPassesTheGraphqlOverHttpAudit() throws Exception {
        if (!Files.isDirectory(AUDIT.resolve("node_modules"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        }
        String out = run(List.of("node", "audit.mjs", graphql.toString(), Tokens.of("audit-" + System.nanoTime())), 120);
        JsonArray results = new JsonArray(out.lines().reduce((a, b) -> b).orElseThrow());
        assertThat(results).isNotEmpty();
        for (Object o : results) {
            JsonObject r = (JsonObject) o;
            Log.infof("graphql-http audit %s %s: %s%s", r.getString("status"), r.getString("id"), r.getString("name"),
                    r.getString("reason") == null ? "" : " — " + r.getString("reason"));
        }
        assertThat(results.stream().map(JsonObject.class::cast).filter(r -> r.getString("status").equals("error"))
                .map(r -> r.getString("name") + ": " + r.getString("reason")).toList())
                .as("MUSTs of graphql-over-http").isEmpty();
        assertThat(results.stream().map(JsonObject.class::cast).filter(r -> r.getString("status").equals("warn"))
                .filter(r -> !DELIBERATE.contains(r.getString("id")))
                .map(r -> r.getString("id") + " " + r.getString("name") + ": " + r.getString("reason")).toList())
                .as("SHOULDs of graphql-over-http that apply").isEmpty();
    }

    private static String run(List<String> command, int seconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(AUDIT.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + text).isZero();
        return text;
    }
}
