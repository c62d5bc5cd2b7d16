package com.alloygateway.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.arc.profile.IfBuildProfile;

/**
 * The sandbox's state: a fixed catalog (from {@code alloy-sandbox/catalog.json}) and in-memory users,
 * credentials, pending OAuth consents and per-credential third-party data. Lost on restart, by design.
 */
@Singleton
@IfBuildProfile(anyOf = { "dev", "test" })
public class SandboxStore {

    /** Credentials with no end user: what Alloy shows when {@code x-alloy-userid} is missing. */
    public static final String OWNER = "account-owner";

    private static final SecureRandom RANDOM = new SecureRandom();

    final ObjectMapper mapper;
    private final ObjectNode catalog;

    record User(String userId, String username, String fullName) {
    }

    record Credential(String credentialId, String userId, String connectorId, String authenticationType,
            String name, Instant createdAt) {
    }

    record PendingConsent(String userId, String connectorId, String authenticationType, String redirectUri) {
    }

    final Map<String, User> users = new ConcurrentHashMap<>();
    final Map<String, Credential> credentials = new ConcurrentHashMap<>();
    final Map<String, PendingConsent> consents = new ConcurrentHashMap<>();
    /** Third-party records per credential, e.g. HubSpot contacts: credentialId → records. */
    final Map<String, List<ObjectNode>> records = new ConcurrentHashMap<>();

    SandboxStore(ObjectMapper mapper) {
        this.mapper = mapper;
        try (InputStream in = SandboxStore.class.getResourceAsStream("/alloy-sandbox/catalog.json")) {
            this.catalog = (ObjectNode) mapper.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("sandbox catalog unreadable", e);
        }
        Credential owners = new Credential(newId(), OWNER, "hubspot", "oauth2", "Account owner's HubSpot",
                Instant.now());
        credentials.put(owners.credentialId(), owners);
    }

    /** 24 lower-case hex characters, like Alloy's ids. */
    static String newId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    ArrayNode connectorList() {
        ArrayNode out = mapper.createArrayNode();
        for (JsonNode c : catalog.withArray("connectors")) {
            ObjectNode copy = mapper.createObjectNode();
            for (String field : List.of("id", "name", "icon", "group", "category")) {
                copy.set(field, c.get(field));
            }
            out.add(copy);
        }
        return out;
    }

    Optional<ObjectNode> connector(String id) {
        for (JsonNode c : catalog.withArray("connectors")) {
            if (c.path("id").asText().equals(id)) {
                return Optional.of((ObjectNode) c);
            }
        }
        return Optional.empty();
    }

    Optional<ObjectNode> action(String connectorId, String actionId) {
        JsonNode a = catalog.path("actions").get(connectorId + "/" + actionId);
        return a instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
    }

    ArrayNode resources(ObjectNode connector) {
        ArrayNode out = mapper.createArrayNode();
        String connectorId = connector.path("id").asText();
        for (JsonNode r : connector.withArray("resources")) {
            ObjectNode resource = out.addObject();
            resource.put("name", r.path("name").asText());
            resource.put("description", r.path("description").asText());
            ArrayNode actions = resource.putArray("actions");
            for (JsonNode actionId : r.withArray("actions")) {
                action(connectorId, actionId.asText()).ifPresent(a -> actions.addObject()
                        .put("id", a.path("id").asText())
                        .put("name", a.path("name").asText())
                        .put("description", a.path("description").asText()));
            }
        }
        return out;
    }

    /** The metadata in the connector's form: documented, or the seed's older {@code properties} list. */
    ArrayNode metadata(ObjectNode connector) {
        if (connector.has("credentialsSeedForm")) {
            return (ArrayNode) connector.get("credentialsSeedForm");
        }
        return (ArrayNode) connector.get("credentials");
    }

    Optional<JsonNode> requirement(ObjectNode connector, String authenticationType) {
        for (JsonNode m : metadata(connector)) {
            if (m.path("authenticationType").asText().equals(authenticationType)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /**
     * The fields a create body lacks, as Alloy names them ({@code redirectUri}, {@code data.apiKey}): the
     * documented {@code inputSchema}'s top-level and {@code data} {@code required} lists, or the seed form's
     * required properties (request fields at the top, the connector's own under {@code data}).
     */
    List<String> missingFields(JsonNode requirement, JsonNode body) {
        List<String> missing = new ArrayList<>();
        JsonNode data = body.path("data");
        if (requirement.has("properties")) {
            for (JsonNode p : requirement.path("properties")) {
                if (!p.path("required").asBoolean(false)) {
                    continue;
                }
                String name = p.path("name").asText();
                boolean requestField = List.of("userId", "authenticationType", "redirectUri", "authConfigId")
                        .contains(name);
                if (!(requestField ? body : data).hasNonNull(name)) {
                    missing.add(requestField ? name : "data." + name);
                }
            }
            return missing;
        }
        JsonNode schema = requirement.path("inputSchema");
        for (JsonNode required : schema.path("required")) {
            if (!body.hasNonNull(required.asText())) {
                missing.add(required.asText());
            }
        }
        for (JsonNode required : schema.path("properties").path("data").path("required")) {
            if (!data.hasNonNull(required.asText())) {
                missing.add("data." + required.asText());
            }
        }
        return missing;
    }

    User createUser(String username, String fullName) {
        synchronized (users) {
            for (User u : users.values()) {
                if (u.username().equals(username)) {
                    return null;
                }
            }
            User user = new User(newId(), username, fullName);
            users.put(user.userId(), user);
            return user;
        }
    }

    Optional<User> user(String idOrUsername) {
        User byId = users.get(idOrUsername);
        if (byId != null) {
            return Optional.of(byId);
        }
        return users.values().stream().filter(u -> u.username().equals(idOrUsername)).findFirst();
    }

    Credential addCredential(String userId, String connectorId, String authenticationType) {
        String owner = user(userId).map(u -> u.fullName() != null ? u.fullName() : u.username()).orElse("Owner");
        String connectorName = connector(connectorId).map(c -> c.path("name").asText()).orElse(connectorId);
        Credential c = new Credential(newId(), userId, connectorId, authenticationType,
                owner + "'s " + connectorName, Instant.now());
        credentials.put(c.credentialId(), c);
        return c;
    }

    List<Credential> credentialsOf(String userId, String connectorId) {
        List<Credential> out = new ArrayList<>();
        for (Credential c : credentials.values()) {
            if (c.userId().equals(userId) && (connectorId == null || c.connectorId().equals(connectorId))) {
                out.add(c);
            }
        }
        out.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
        return out;
    }

    boolean deleteCredential(String userId, String connectorId, String credentialId) {
        Credential c = credentials.get(credentialId);
        if (c == null || !c.userId().equals(userId) || !c.connectorId().equals(connectorId)) {
            return false;
        }
        credentials.remove(credentialId);
        records.remove(credentialId);
        return true;
    }

    ObjectNode describe(Credential c) {
        String at = c.createdAt().truncatedTo(ChronoUnit.MILLIS).toString();
        return mapper.createObjectNode()
                .put("credentialId", c.credentialId())
                .put("name", c.name())
                .put("type", c.connectorId() + "-" + c.authenticationType())
                .put("createdAt", at)
                .put("updatedAt", at);
    }

    List<ObjectNode> recordsOf(String credentialId) {
        return records.computeIfAbsent(credentialId, k -> new CopyOnWriteArrayList<>());
    }

    Map<String, String> textFields(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        if (object != null && object.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            }
        }
        return out;
    }
}
