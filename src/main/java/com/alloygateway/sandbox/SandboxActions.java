package com.alloygateway.sandbox;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.alloygateway.sandbox.SandboxStore.Credential;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.arc.profile.IfBuildProfile;

/**
 * Plausible third-party behaviour per action: HubSpot keeps contacts per credential and refuses a duplicate
 * e-mail, Slack refuses unknown channels, Notion finds pages, Shopify lists orders, Shippo validates addresses.
 * {@code additionalHeaders["x-sandbox-simulate"]} can ask for {@code rate_limit} (429 with Retry-After) or
 * {@code provider_down} (502 from the third party), for trying error paths by hand.
 */
@Singleton
@IfBuildProfile(anyOf = { "dev", "test" })
public class SandboxActions {

    private final SandboxStore store;

    SandboxActions(SandboxStore store) {
        this.store = store;
    }

    Response execute(ObjectNode action, Credential credential, ObjectNode body) {
        String simulate = body.path("additionalHeaders").path("x-sandbox-simulate").asText("");
        if (simulate.equals("rate_limit")) {
            return Response.status(429).header("Retry-After", "1").type(MediaType.APPLICATION_JSON)
                    .entity("{\"error\":{\"source\":\"CONNECTIVITY_API\",\"code\":\"RATE_LIMITED\","
                            + "\"message\":\"Too many requests\",\"details\":{\"httpStatusCode\":429}}}")
                    .build();
        }
        if (simulate.equals("provider_down")) {
            throw SandboxErrors.thirdParty(502, "THIRD_PARTY_UNAVAILABLE", "The provider is unavailable", 503);
        }
        JsonNode requestBody = body.path("requestBody");
        Map<String, String> query = store.textFields(body.get("queryParameters"));
        Map<String, String> path = store.textFields(body.get("pathParams"));
        JsonNode result = switch (action.path("id").asText()) {
            case "createContact" -> createContact(credential, requestBody);
            case "listContacts" -> listContacts(credential, query);
            case "getContact" -> getContact(credential, path);
            case "chat_postMessage" -> postMessage(requestBody);
            case "post-search" -> search(requestBody);
            case "retrieve-a-page" -> page(path);
            case "listOrders" -> orders(query);
            case "createAddress" -> address(requestBody);
            default -> action.path("sampleSuccessResponse");
        };
        ObjectNode out = store.mapper.createObjectNode();
        out.set("responseData", result);
        return Response.ok(out).build();
    }

    private JsonNode createContact(Credential credential, JsonNode body) {
        JsonNode properties = body.path("properties");
        String email = properties.path("email").asText("");
        if (email.isBlank()) {
            throw SandboxErrors.thirdParty(400, "VALIDATION_ERROR", "Property values were not valid: email", 400);
        }
        List<ObjectNode> contacts = store.recordsOf(credential.credentialId());
        synchronized (contacts) {
            for (ObjectNode existing : contacts) {
                if (existing.path("properties").path("email").asText().equalsIgnoreCase(email)) {
                    throw SandboxErrors.thirdParty(409, "CONFLICT",
                            "Contact already exists. Existing ID: " + existing.path("id").asText(), 409);
                }
            }
            String now = SandboxStore.now();
            ObjectNode contact = store.mapper.createObjectNode();
            contact.put("id", String.valueOf(100_000 + contacts.size() + 1));
            ObjectNode props = contact.putObject("properties");
            properties.fields().forEachRemaining(e -> props.set(e.getKey(), e.getValue()));
            props.put("createdate", now).put("lastmodifieddate", now);
            contact.put("createdAt", now).put("updatedAt", now).put("archived", false);
            contacts.add(contact);
            return contact;
        }
    }

    private JsonNode listContacts(Credential credential, Map<String, String> query) {
        int limit = parseInt(query.get("limit"), 10);
        ObjectNode out = store.mapper.createObjectNode();
        ArrayNode results = out.putArray("results");
        store.recordsOf(credential.credentialId()).stream().limit(Math.max(limit, 0)).forEach(results::add);
        return out;
    }

    private JsonNode getContact(Credential credential, Map<String, String> path) {
        String id = path.getOrDefault("contactId", "");
        return store.recordsOf(credential.credentialId()).stream()
                .filter(c -> c.path("id").asText().equals(id))
                .findFirst()
                .orElseThrow(() -> SandboxErrors.thirdParty(404, "OBJECT_NOT_FOUND",
                        "Object not found. objectId are usually numeric.", 404));
    }

    private JsonNode postMessage(JsonNode body) {
        String channel = body.path("channel").asText("");
        if (channel.isBlank() || channel.contains("missing") || channel.contains("does-not-exist")) {
            throw SandboxErrors.thirdParty(400, "channel_not_found", "Value passed for channel was invalid.", 404);
        }
        String ts = String.format(Locale.ROOT, "%.6f", System.currentTimeMillis() / 1000.0);
        ObjectNode out = store.mapper.createObjectNode().put("ok", true).put("channel", channel).put("ts", ts);
        out.putObject("message").put("text", body.path("text").asText()).put("ts", ts).put("type", "message");
        return out;
    }

    private JsonNode search(JsonNode body) {
        String query = body.path("query").asText("").toLowerCase(Locale.ROOT);
        ObjectNode out = store.mapper.createObjectNode().put("object", "list");
        ArrayNode results = out.putArray("results");
        for (String title : List.of("Roadmap", "Meeting notes", "Onboarding checklist")) {
            if (title.toLowerCase(Locale.ROOT).contains(query)) {
                ObjectNode page = results.addObject().put("object", "page")
                        .put("id", "page-" + title.toLowerCase(Locale.ROOT).replace(' ', '-'));
                page.putObject("properties").putObject("title").put("plain_text", title);
            }
        }
        out.put("has_more", false);
        return out;
    }

    private JsonNode page(Map<String, String> path) {
        String id = path.getOrDefault("page_id", "");
        if (!id.startsWith("page-")) {
            throw SandboxErrors.thirdParty(404, "object_not_found",
                    "Could not find page with ID: " + id.replaceAll("[^A-Za-z0-9-]", ""), 404);
        }
        ObjectNode out = store.mapper.createObjectNode().put("object", "page").put("id", id);
        out.putObject("properties").putObject("title").put("plain_text", id.substring(5).replace('-', ' '));
        return out;
    }

    private JsonNode orders(Map<String, String> query) {
        int first = Math.min(Math.max(parseInt(query.get("first"), 3), 0), 250);
        ObjectNode out = store.mapper.createObjectNode();
        ArrayNode orders = out.putArray("orders");
        for (int i = 1; i <= first; i++) {
            orders.addObject().put("id", 450789468L + i).put("name", "#" + (1000 + i))
                    .put("total_price", String.format(Locale.ROOT, "%.2f", 19.99 * i)).put("currency", "USD");
        }
        return out;
    }

    private JsonNode address(JsonNode body) {
        String zip = body.path("zip").asText("");
        if (zip.equals("00000")) {
            throw SandboxErrors.thirdParty(422, "INVALID_ADDRESS", "The address could not be validated", 422);
        }
        ObjectNode out = store.mapper.createObjectNode()
                .put("object_id", SandboxStore.newId())
                .put("is_complete", true);
        body.fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue()));
        out.putObject("validation_results").put("is_valid", !zip.isBlank());
        return out;
    }

    private static int parseInt(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
