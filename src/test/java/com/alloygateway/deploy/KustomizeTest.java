package com.alloygateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Renders k8s/overlays/dev and k8s/overlays/prod with {@code kubectl kustomize} (no cluster needed) and checks
 * what the manifests promise: pinned images, a hashed ConfigMap the Deployment refers to, probes on the
 * management port with room for a database round trip, a grace period above the shutdown timeout in
 * application.properties, no secret values, and in prod the HPA, the topology spread, the NetworkPolicy's shape
 * and the ServiceMonitor. Needs kubectl on the PATH (CI has it).
 */
class KustomizeTest {

    static final String APP = "alloy-graphql-gateway";
    static final int PUBLIC_PORT = 8080;
    static final int MANAGEMENT_PORT = 9000;

    static List<JsonNode> dev;
    static List<JsonNode> prod;

    @BeforeAll
    static void render() throws Exception {
        dev = kustomize("k8s/overlays/dev");
        prod = kustomize("k8s/overlays/prod");
    }

    // ---- both overlays ----

    @Test
    void imagesArePinned() {
        for (List<JsonNode> docs : List.of(dev, prod)) {
            String image = container(docs).path("image").asText();
            assertThat(image)
                    .as("the gateway's image is pinned to a tag or a digest, never :latest")
                    .matches("[a-z0-9.-]+(:[0-9]+)?/[a-z0-9./_-]+(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})")
                    .doesNotEndWith(":latest");
        }
    }

    @Test
    void theConfigMapNameCarriesAHashAndTheDeploymentUsesIt() {
        for (List<JsonNode> docs : List.of(dev, prod)) {
            List<JsonNode> configMaps = ofKind(docs, "ConfigMap");
            assertThat(configMaps).hasSize(1);
            String name = configMaps.get(0).at("/metadata/name").asText();
            assertThat(name).as("configMapGenerator's hashed name: a config change is a new pod template")
                    .matches(APP + "-[a-z0-9]{10}");
            List<String> refs = new ArrayList<>();
            container(docs).path("envFrom").forEach(e -> {
                if (e.has("configMapRef")) {
                    refs.add(e.at("/configMapRef/name").asText());
                }
            });
            assertThat(refs).containsExactly(name);
            // Settings the gateway refuses to start without are there.
            assertThat(configMaps.get(0).path("data").path("QUARKUS_OIDC_AUTH_SERVER_URL").asText()).startsWith("https://");
            assertThat(configMaps.get(0).path("data").has("QUARKUS_OIDC_TOKEN_AUDIENCE")).isTrue();
        }
    }

    @Test
    void probesAreOnTheManagementPortWithTimeoutsForADatabaseRoundTrip() {
        for (List<JsonNode> docs : List.of(dev, prod)) {
            JsonNode container = container(docs);
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
                JsonNode p = container.path(probe);
                assertThat(p.isObject()).as(probe).isTrue();
                assertThat(containerPort(container, p.at("/httpGet/port"))).as(probe + " port").isEqualTo(MANAGEMENT_PORT);
                assertThat(p.at("/httpGet/path").asText()).as(probe + " path").startsWith("/q/health/");
                assertThat(p.path("timeoutSeconds").asInt(1)).as(probe + " timeoutSeconds").isGreaterThanOrEqualTo(2);
            }
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
            assertThat(container.at("/readinessProbe/timeoutSeconds").asInt())
                    .as("readiness includes a database query").isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void podsGetLongerToStopThanTheShutdownTakes() throws IOException {
        Properties app = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            app.load(in);
        }
        Duration timeout = duration(app.getProperty("quarkus.shutdown.timeout"));
        Duration delay = Boolean.parseBoolean(app.getProperty("quarkus.shutdown.delay-enabled", "false"))
                ? duration(app.getProperty("quarkus.shutdown.delay", "0s"))
                : Duration.ZERO;
        for (List<JsonNode> docs : List.of(dev, prod)) {
            long grace = deployment(docs).at("/spec/template/spec/terminationGracePeriodSeconds").asLong(30);
            assertThat(grace).as("terminationGracePeriodSeconds > shutdown timeout %s + delay %s", timeout, delay)
                    .isGreaterThan(timeout.plus(delay).toSeconds());
        }
    }

    @Test
    void noSecretValueIsInTheManifests() {
        for (List<JsonNode> docs : List.of(dev, prod)) {
            for (JsonNode secret : ofKind(docs, "Secret")) {
                assertThat(secret.path("data").isEmpty() && secret.path("stringData").isEmpty())
                        .as("Secret %s carries values", secret.at("/metadata/name").asText()).isTrue();
            }
            List<String> secretRefs = new ArrayList<>();
            container(docs).path("envFrom").forEach(e -> {
                if (e.has("secretRef")) {
                    secretRefs.add(e.at("/secretRef/name").asText());
                }
            });
            assertThat(secretRefs).as("the Secret made out of band (or by the ExternalSecret)").containsExactly(APP);
        }
        JsonNode external = single(prod, "ExternalSecret");
        assertThat(external.at("/spec/target/name").asText()).isEqualTo(APP);
        assertThat(external.at("/spec/data").findValuesAsText("secretKey"))
                .containsExactlyInAnyOrder("ALLOY_API_KEY", "QUARKUS_DATASOURCE_PASSWORD");
    }

    @Test
    void podsStayLockedDownAndSized() {
        for (List<JsonNode> docs : List.of(dev, prod)) {
            JsonNode pod = deployment(docs).at("/spec/template/spec");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
            JsonNode container = container(docs);
            assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
            assertThat(container.at("/securityContext/capabilities/drop").toString()).contains("\"ALL\"");
            assertThat(container.at("/resources/requests/cpu").isMissingNode()).isFalse();
            assertThat(container.at("/resources/requests/memory").asText()).isNotEmpty();
            assertThat(container.at("/resources/limits/memory").asText()).isNotEmpty();
            // The public Service never exposes the management port.
            JsonNode service = named(ofKind(docs, "Service"), APP);
            assertThat(service.at("/spec/ports").findValuesAsText("targetPort")).containsExactly("http");
            assertThat(containerPort(container, service.at("/spec/ports/0/targetPort"))).isEqualTo(PUBLIC_PORT);
        }
    }

    // ---- dev ----

    @Test
    void devRunsOneReplicaWithoutAnAutoscaler() {
        assertThat(deployment(dev).at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(ofKind(dev, "HorizontalPodAutoscaler")).isEmpty();
        // One replica can still be drained: the PDB allows one pod out rather than keeping one in.
        assertThat(single(dev, "PodDisruptionBudget").at("/spec/maxUnavailable").asInt()).isEqualTo(1);
    }

    // ---- prod ----

    @Test
    void prodScalesWithAnHpaOfAtLeastTwoOnCpu() {
        JsonNode hpa = single(prod, "HorizontalPodAutoscaler");
        assertThat(hpa.path("apiVersion").asText()).isEqualTo("autoscaling/v2");
        assertThat(hpa.at("/spec/scaleTargetRef/kind").asText()).isEqualTo("Deployment");
        assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo(deployment(prod).at("/metadata/name").asText());
        assertThat(hpa.at("/spec/minReplicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(hpa.at("/spec/maxReplicas").asInt()).isGreaterThanOrEqualTo(hpa.at("/spec/minReplicas").asInt());
        assertThat(hpa.at("/spec/metrics").findValuesAsText("name")).contains("cpu");
        // The HPA owns the count: a replicas field would reset it on every apply.
        assertThat(deployment(prod).at("/spec/replicas").isMissingNode()).isTrue();
    }

    @Test
    void prodSpreadsOverNodesAndZones() {
        JsonNode spec = deployment(prod).at("/spec/template/spec");
        JsonNode podLabels = deployment(prod).at("/spec/template/metadata/labels");
        Set<String> keys = new HashSet<>();
        for (JsonNode c : spec.path("topologySpreadConstraints")) {
            keys.add(c.path("topologyKey").asText());
            assertThat(selects(c.at("/labelSelector/matchLabels"), podLabels)).as("spread counts the gateway's pods").isTrue();
            assertThat(c.path("maxSkew").asInt()).isEqualTo(1);
        }
        assertThat(keys).containsExactlyInAnyOrder("kubernetes.io/hostname", "topology.kubernetes.io/zone");
    }

    @Test
    void prodNetworkPolicyAdmitsOnlyTheIngressAndMonitoringAndLetsOutOnlyWhatTheGatewayCalls() {
        JsonNode policy = single(prod, "NetworkPolicy");
        JsonNode podLabels = deployment(prod).at("/spec/template/metadata/labels");
        assertThat(selects(policy.at("/spec/podSelector/matchLabels"), podLabels)).isTrue();
        assertThat(policy.at("/spec/policyTypes").toString()).contains("\"Ingress\"", "\"Egress\"");

        JsonNode ingress = policy.at("/spec/ingress");
        assertThat(ingress.size()).isEqualTo(2);
        List<Integer> ingressPorts = new ArrayList<>();
        Set<String> sources = new HashSet<>();
        for (JsonNode rule : ingress) {
            assertThat(rule.path("from").size()).as("an ingress rule without `from` admits everyone").isPositive();
            assertThat(rule.path("ports").size()).as("an ingress rule without ports admits every port").isEqualTo(1);
            ingressPorts.add(rule.at("/ports/0/port").asInt());
            for (JsonNode from : rule.path("from")) {
                assertThat(from.has("namespaceSelector") && from.has("podSelector"))
                        .as("a source is a namespace and its pods").isTrue();
                sources.add(from.toString());
            }
        }
        assertThat(ingressPorts).containsExactlyInAnyOrder(PUBLIC_PORT, MANAGEMENT_PORT);
        assertThat(sources).as("the public and the management port have different sources").hasSize(2);

        List<String> egressPorts = new ArrayList<>();
        for (JsonNode rule : policy.at("/spec/egress")) {
            assertThat(rule.path("to").size()).as("an egress rule without `to` lets out to anywhere").isPositive();
            assertThat(rule.path("ports").size()).as("an egress rule without ports lets out every port").isPositive();
            for (JsonNode to : rule.path("to")) {
                if (to.has("ipBlock")) {
                    assertThat(to.at("/ipBlock/cidr").asText()).as("no catch-all CIDR").isNotEqualTo("0.0.0.0/0");
                }
            }
            rule.path("ports").forEach(p -> egressPorts.add(p.path("protocol").asText("TCP") + "/" + p.path("port").asInt()));
        }
        // DNS (UDP and TCP), PostgreSQL, the OIDC issuer and Alloy (both HTTPS).
        assertThat(egressPorts).containsExactlyInAnyOrder("UDP/53", "TCP/53", "TCP/5432", "TCP/443", "TCP/443",
                "TCP/4317");
    }

    @Test
    void prodServiceMonitorScrapesTheManagementPort() {
        JsonNode monitor = single(prod, "ServiceMonitor");
        assertThat(monitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        JsonNode endpoint = monitor.at("/spec/endpoints/0");
        assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
        List<JsonNode> services = ofKind(prod, "Service").stream()
                .filter(s -> selects(monitor.at("/spec/selector/matchLabels"), s.at("/metadata/labels")))
                .toList();
        assertThat(services).as("the ServiceMonitor selects exactly the management Service").hasSize(1);
        JsonNode port = StreamSupport.stream(services.get(0).at("/spec/ports").spliterator(), false)
                .filter(p -> p.path("name").asText().equals(endpoint.path("port").asText()))
                .findFirst().orElseThrow();
        assertThat(containerPort(container(prod), port.path("targetPort"))).isEqualTo(MANAGEMENT_PORT);
        assertThat(selects(services.get(0).at("/spec/selector"), deployment(prod).at("/spec/template/metadata/labels")))
                .isTrue();
    }

    // ---- helpers ----

    static List<JsonNode> kustomize(String dir) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", dir).redirectErrorStream(false).start();
        } catch (IOException e) {
            return fail("KustomizeTest needs kubectl on the PATH to render " + dir
                    + " (`kubectl kustomize` needs no cluster); install kubectl: " + e.getMessage());
        }
        byte[] out;
        byte[] err;
        try (InputStream stdout = process.getInputStream(); InputStream stderr = process.getErrorStream()) {
            out = stdout.readAllBytes();
            err = stderr.readAllBytes();
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return fail("kubectl kustomize " + dir + " did not finish within 60 s");
        }
        if (process.exitValue() != 0) {
            return fail("kubectl kustomize " + dir + " failed: " + new String(err, StandardCharsets.UTF_8));
        }
        List<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class)
                .<JsonNode>readValues(new String(out, StandardCharsets.UTF_8)).readAll();
        docs.removeIf(d -> d == null || d.isNull() || d.isMissingNode());
        assertThat(docs).as(dir + " renders something").isNotEmpty();
        return docs;
    }

    static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    static JsonNode single(List<JsonNode> docs, String kind) {
        List<JsonNode> found = ofKind(docs, kind);
        assertThat(found).as("one " + kind).hasSize(1);
        return found.get(0);
    }

    static JsonNode named(List<JsonNode> docs, String name) {
        return docs.stream().filter(d -> name.equals(d.at("/metadata/name").asText())).findFirst()
                .orElseGet(() -> fail("no " + name));
    }

    static JsonNode deployment(List<JsonNode> docs) {
        return named(ofKind(docs, "Deployment"), APP);
    }

    static JsonNode container(List<JsonNode> docs) {
        JsonNode containers = deployment(docs).at("/spec/template/spec/containers");
        assertThat(containers.size()).isEqualTo(1);
        return containers.get(0);
    }

    /** A port given by number or by the name of one of the container's ports. */
    static int containerPort(JsonNode container, JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(port.asText())) {
                return p.path("containerPort").asInt();
            }
        }
        return fail("no container port named " + port);
    }

    /** Whether a label selector (matchLabels) is non-empty and selects the given labels. */
    static boolean selects(JsonNode matchLabels, JsonNode labels) {
        if (matchLabels == null || matchLabels instanceof MissingNode || matchLabels.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> e : matchLabels.properties()) {
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    /** Quarkus's duration syntax as used in application.properties: 40s, 500ms, 2m, 1h or ISO-8601. */
    static Duration duration(String value) {
        assertThat(value).as("a duration in application.properties").isNotNull();
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)?").matcher(value.trim());
        if (!m.matches()) {
            return Duration.parse(value.trim());
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
