package com.alloygateway.soak;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;

import com.alloygateway.soak.GraphQLHttp.Answer;
import com.alloygateway.soak.Outcome.Op;
import com.alloygateway.soak.SoakTenant.Keyed;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The soak's traffic, one tenant's worker at a time: a mix of catalog queries, credential listings and
 * creations, probes of another tenant's ids, and executeAction with fresh keys, repeated keys (same input),
 * keys sent three times at once, and no key. Every answer becomes an {@link Outcome}; what a single answer
 * already shows to be wrong (another tenant's credential listed or shown) is a violation at once.
 */
final class SoakTraffic {

    private static final String EXECUTE = """
            mutation($input: ExecuteActionInput!) {
              executeAction(input: $input) { id status idempotencyKey responseData }
            }""";
    private static final String CREATE_CREDENTIAL = """
            mutation($input: CreateCredentialInput!) { createCredential(input: $input) { credentialId } }""";
    private static final String CREDENTIALS = "query { credentials(connectorId: \"shippo\") { id connectorId } }";
    private static final String PROBE = """
            query($e: ID!, $c: ID!) { execution(id: $e) { id } credential(id: $c) { id } }""";
    private static final List<String> CONNECTORS = List.of("shippo", "hubspot", "slack", "notion", "shopify",
            "zendesk");
    private static final List<String> CATALOG = List.of(
            "query { connectors { id name categories } }",
            "query($c: ID!) { resources(connectorId: $c) { name actions { id name } } }",
            "query($c: ID!) { credentialRequirements(connectorId: $c) { authenticationType } }",
            "query { action(connectorId: \"shippo\", id: \"createAddress\") { displayName httpMethod requestBody } }");

    private final GraphQLHttp http;
    private final List<SoakTenant> tenants;
    private final ExecutorService repeats;
    private final long thinkMillis;
    final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    final Queue<String> violations = new ConcurrentLinkedQueue<>();
    /** Which tenant created each credential the soak was told of. */
    final Map<String, SoakTenant> creators = new ConcurrentHashMap<>();

    SoakTraffic(GraphQLHttp http, List<SoakTenant> tenants, ExecutorService repeats, long thinkMillis) {
        this.http = http;
        this.tenants = tenants;
        this.repeats = repeats;
        this.thinkMillis = thinkMillis;
    }

    // ---- set-up: like a client, retrying what the injected faults make fail ----

    /** Provisions the tenant, learns its ids, and creates two Shippo credentials. */
    void setUp(SoakTenant t) {
        JsonNode me = retried(t, "mutation { createUser(fullName: \"Soak Tenant\") { tenant alloyUserId } }", Map.of())
                .path("createUser");
        t.tenantId = me.path("tenant").asText();
        t.alloyUserId = me.path("alloyUserId").asText();
        for (int i = 0; i < 2; i++) {
            JsonNode created = retried(t, CREATE_CREDENTIAL, Map.of("input", credentialInput()));
            announce(t, created.path("createCredential").path("credentialId").asText());
        }
    }

    private JsonNode retried(SoakTenant t, String query, Map<String, Object> variables) {
        for (int attempt = 1;; attempt++) {
            Answer answer = http.post(t.token(), query, variables);
            if (answer.status() == 200 && answer.body().path("errors").isMissingNode()) {
                return answer.body().path("data");
            }
            if (attempt == 20) {
                throw new IllegalStateException("set-up of " + t.subject + " failed: " + answer.body());
            }
            pause(200);
        }
    }

    // ---- the mix ----

    /** One worker of a tenant, until the deadline. */
    void run(SoakTenant t, long deadlineNanos) {
        while (System.nanoTime() < deadlineNanos && !Thread.currentThread().isInterrupted()) {
            int dice = ThreadLocalRandom.current().nextInt(100);
            if (dice < 25) {
                catalog(t);
            } else if (dice < 35) {
                listCredentials(t);
            } else if (dice < 38) {
                createCredential(t);
            } else if (dice < 43) {
                probe(t);
            } else if (dice < 70) {
                execute(t, Op.EXECUTE_FRESH, fresh(t));
            } else if (dice < 85) {
                Keyed before = t.anyKey();
                execute(t, Op.EXECUTE_REPEAT, before == null ? fresh(t) : before);
            } else if (dice < 93) {
                concurrently(t, fresh(t));
            } else {
                execute(t, Op.EXECUTE_NO_KEY, new Keyed(null, t.anyCredential(), "nokey-" + UUID.randomUUID()));
            }
            pause(ThreadLocalRandom.current().nextLong(thinkMillis / 2, thinkMillis * 3 / 2 + 1));
        }
    }

    private void catalog(SoakTenant t) {
        String query = CATALOG.get(ThreadLocalRandom.current().nextInt(CATALOG.size()));
        Map<String, Object> variables = query.contains("$c")
                ? Map.of("c", CONNECTORS.get(ThreadLocalRandom.current().nextInt(CONNECTORS.size())))
                : Map.of();
        long start = System.nanoTime();
        Answer answer = http.post(t.token(), query, variables);
        Outcome outcome = plain(t, Op.CATALOG, answer, start);
        if (outcome.ok() && !answer.body().path("data").elements().next().isContainerNode()) {
            violations.add("a catalog query answered no data: " + answer.body());
        }
    }

    private void listCredentials(SoakTenant t) {
        long start = System.nanoTime();
        Answer answer = http.post(t.token(), CREDENTIALS, Map.of());
        if (plain(t, Op.LIST_CREDENTIALS, answer, start).ok()) {
            for (JsonNode credential : answer.body().path("data").path("credentials")) {
                String id = credential.path("id").asText();
                SoakTenant creator = creators.get(id);
                if (creator == null) {
                    t.unannouncedCredentials.add(id);
                } else if (creator != t) {
                    violations.add("cross-tenant: " + t.subject + " listed " + creator.subject + "'s credential " + id);
                }
            }
        }
    }

    private void createCredential(SoakTenant t) {
        long start = System.nanoTime();
        Answer answer = http.post(t.token(), CREATE_CREDENTIAL, Map.of("input", credentialInput()));
        if (plain(t, Op.CREATE_CREDENTIAL, answer, start).ok()) {
            announce(t, answer.body().path("data").path("createCredential").path("credentialId").asText());
        }
    }

    /** Asks for another tenant's execution and credential: both must be null. */
    private void probe(SoakTenant t) {
        SoakTenant other = tenants.get(ThreadLocalRandom.current().nextInt(tenants.size()));
        String executionId = other.executionIds.stream().findAny().orElse(UUID.randomUUID().toString());
        if (other == t) {
            return;
        }
        long start = System.nanoTime();
        Answer answer = http.post(t.token(), PROBE, Map.of("e", executionId, "c", other.anyCredential()));
        JsonNode data = answer.body().path("data");
        if (plain(t, Op.PROBE, answer, start).ok()
                && (!data.path("execution").isNull() || !data.path("credential").isNull())) {
            violations.add("cross-tenant: " + t.subject + " was shown " + other.subject + "'s ids: " + data);
        }
    }

    private Keyed fresh(SoakTenant t) {
        String key = "soak-" + UUID.randomUUID();
        Keyed keyed = new Keyed(key, t.anyCredential(), key);
        t.keys.add(keyed);
        return keyed;
    }

    /** The same new key three times at once. */
    private void concurrently(SoakTenant t, Keyed keyed) {
        List<CompletableFuture<Void>> calls = List.of(
                CompletableFuture.runAsync(() -> execute(t, Op.EXECUTE_CONCURRENT, keyed), repeats),
                CompletableFuture.runAsync(() -> execute(t, Op.EXECUTE_CONCURRENT, keyed), repeats),
                CompletableFuture.runAsync(() -> execute(t, Op.EXECUTE_CONCURRENT, keyed), repeats));
        calls.forEach(CompletableFuture::join);
    }

    private void execute(SoakTenant t, Op op, Keyed keyed) {
        Map<String, Object> input = new HashMap<>();
        input.put("connectorId", "shippo");
        input.put("actionId", "createAddress");
        input.put("credentialId", keyed.credentialId());
        input.put("requestBody", Map.of("name", "soak " + t.index + " " + keyed.marker(), "street1",
                "215 Clayton St.", "city", "San Francisco", "zip", "94117", "country", "US"));
        if (keyed.key() != null) {
            input.put("idempotencyKey", keyed.key());
        }
        long start = System.nanoTime();
        Answer answer = http.post(t.token(), EXECUTE, Map.of("input", input));
        JsonNode execution = answer.body().path("data").path("executeAction");
        JsonNode error = answer.firstError();
        JsonNode extensions = error.path("extensions");
        String executionId = execution.isObject() ? execution.path("id").asText()
                : extensions.path("executionId").asText(null);
        if (executionId != null) {
            t.executionIds.add(executionId);
        }
        outcomes.add(new Outcome(t, op, keyed.key(), keyed.marker(), keyed.credentialId(), answer.status(),
                execution.isObject() ? null : extensions.path("code").asText("NONE"),
                extensions.path("reason").asText(null), upstreamStatus(extensions),
                extensions.path("replayed").asBoolean(false), executionId,
                execution.isObject() ? execution.path("status").asText() : extensions.path("status").asText(null),
                execution.path("responseData").path("object_id").asText(null), System.nanoTime() - start));
    }

    private Outcome plain(SoakTenant t, Op op, Answer answer, long start) {
        JsonNode extensions = answer.firstError().path("extensions");
        boolean failed = answer.status() != 200 || !answer.body().path("errors").isMissingNode();
        Outcome outcome = new Outcome(t, op, null, null, null, answer.status(),
                failed ? extensions.path("code").asText("NONE") : null, extensions.path("reason").asText(null),
                upstreamStatus(extensions), false, null, null, null, System.nanoTime() - start);
        outcomes.add(outcome);
        return outcome;
    }

    private void announce(SoakTenant t, String credentialId) {
        creators.put(credentialId, t);
        t.credentials.add(credentialId);
    }

    private static Map<String, Object> credentialInput() {
        return Map.of("connectorId", "shippo", "authenticationType", "apiKey",
                "data", Map.of("apiKey", "shippo_test_" + UUID.randomUUID()));
    }

    private static Integer upstreamStatus(JsonNode extensions) {
        JsonNode status = extensions.path("httpStatusCode");
        return status.isNumber() ? status.asInt() : null;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
