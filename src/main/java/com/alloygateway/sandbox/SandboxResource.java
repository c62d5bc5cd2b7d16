package com.alloygateway.sandbox;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.alloygateway.sandbox.SandboxFaults.Fault;
import com.alloygateway.sandbox.SandboxJournal.Executed;
import com.alloygateway.sandbox.SandboxStore.Credential;
import com.alloygateway.sandbox.SandboxStore.PendingConsent;
import com.alloygateway.sandbox.SandboxStore.User;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.arc.profile.IfBuildProfile;
import io.vertx.ext.web.RoutingContext;

/**
 * An embedded stand-in for Alloy's Connectivity API (dev and test builds only: the prod build has no such
 * endpoint and always calls {@code ALLOY_BASE_URL}). It follows ALLOY-API.md: the account key and
 * {@code x-api-version} on every call, {@code x-alloy-userid} choosing the end user (and its absence meaning
 * the account owner), both error envelopes, OAuth through a consent page of its own. Faults can be injected
 * into its API calls ({@link SandboxFaults}, off unless configured).
 */
@Path("/alloy-sandbox")
@IfBuildProfile(anyOf = { "dev", "test" })
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SandboxResource {

    private static final String USER_HEADER = "x-alloy-userid";

    private final SandboxStore store;
    private final SandboxActions actions;
    private final SandboxJournal journal;
    private final SandboxFaults faults;
    private final RoutingContext routing;
    private final String apiKey;
    private final String apiVersion;

    SandboxResource(SandboxStore store, SandboxActions actions, SandboxJournal journal, SandboxFaults faults,
            RoutingContext routing,
            @ConfigProperty(name = "alloy-sandbox.api-key", defaultValue = "sandbox-api-key") String apiKey,
            @ConfigProperty(name = "alloy-sandbox.api-version", defaultValue = "2025-09") String apiVersion) {
        this.store = store;
        this.actions = actions;
        this.journal = journal;
        this.faults = faults;
        this.routing = routing;
        this.apiKey = apiKey;
        this.apiVersion = apiVersion;
    }

    // ---- catalog ----

    @GET
    @Path("/connectors")
    public ObjectNode connectors(@Context HttpHeaders headers) {
        authorize(headers);
        ObjectNode out = store.mapper.createObjectNode();
        out.set("connectors", store.connectorList());
        return out;
    }

    @GET
    @Path("/connectors/{connectorId}/resources")
    public ObjectNode resources(@PathParam("connectorId") String connectorId, @Context HttpHeaders headers) {
        authorize(headers);
        ObjectNode out = store.mapper.createObjectNode();
        out.set("resources", store.resources(connector(connectorId)));
        return out;
    }

    @GET
    @Path("/connectors/{connectorId}/actions/{actionId}")
    public ObjectNode action(@PathParam("connectorId") String connectorId, @PathParam("actionId") String actionId,
            @Context HttpHeaders headers) {
        authorize(headers);
        connector(connectorId);
        ObjectNode action = store.action(connectorId, actionId)
                .orElseThrow(() -> SandboxErrors.alloy(404, "ACTION_NOT_FOUND", "Action not found"));
        ObjectNode copy = action.deepCopy();
        copy.remove("name");
        ObjectNode out = store.mapper.createObjectNode();
        out.set("action", copy);
        return out;
    }

    @GET
    @Path("/connectors/{connectorId}/credentials/metadata")
    public ObjectNode credentialMetadata(@PathParam("connectorId") String connectorId, @Context HttpHeaders headers) {
        authorize(headers);
        ObjectNode out = store.mapper.createObjectNode();
        out.set("metadata", store.metadata(connector(connectorId)));
        return out;
    }

    // ---- users ----

    @POST
    @Path("/users")
    public Response createUser(ObjectNode body, @Context HttpHeaders headers) {
        authorize(headers);
        String username = text(body, "username");
        if (username == null || username.isBlank()) {
            throw SandboxErrors.alloy(400, "INVALID_INPUT", "username is required");
        }
        User user = store.createUser(username, text(body, "fullName"));
        if (user == null) {
            // ALLOY-API.md documents the username as unique and no status for a clash: 400 is its "bad input".
            throw SandboxErrors.alloy(400, "INVALID_INPUT", "A user with this username already exists");
        }
        return Response.ok(store.mapper.createObjectNode().put("userId", user.userId())).build();
    }

    @GET
    @Path("/users/{userIdOrUsername}")
    public ObjectNode user(@PathParam("userIdOrUsername") String idOrUsername, @Context HttpHeaders headers) {
        authorize(headers);
        return describe(store.user(idOrUsername).orElseThrow(SandboxResource::userNotFound));
    }

    // ---- credentials ----

    @POST
    @Path("/connectors/{connectorId}/credentials")
    public ObjectNode createCredential(@PathParam("connectorId") String connectorId, ObjectNode body,
            @Context HttpHeaders headers, @Context UriInfo uri) {
        authorize(headers);
        ObjectNode connector = connector(connectorId);
        String userId = text(body, "userId");
        if (userId == null) {
            userId = headers.getHeaderString(USER_HEADER);
        }
        if (userId == null || store.user(userId).isEmpty()) {
            throw userNotFound();
        }
        String type = text(body, "authenticationType");
        JsonNode requirement = store.requirement(connector, type == null ? "" : type)
                .orElseThrow(() -> SandboxErrors.alloy(400, "INVALID_INPUT",
                        "authenticationType must be one of the connector's credential types"));
        JsonNode data = body.get("data");
        List<String> missing = store.missingFields(requirement, body);
        if (!missing.isEmpty()) {
            throw SandboxErrors.alloy(400, "INVALID_INPUT", String.join(", ", missing) + " required");
        }
        if (type.equals("oauth2")) {
            String redirectUri = text(body, "redirectUri");
            String state = SandboxStore.newId() + SandboxStore.newId();
            store.consents.put(state, new PendingConsent(userId, connectorId, type, redirectUri));
            String oauthUrl = uri.getBaseUriBuilder().path("alloy-sandbox/oauth/consent").queryParam("state", state)
                    .build().toString();
            return store.mapper.createObjectNode().put("oauthUrl", oauthUrl);
        }
        if (data != null && data.path("apiKey").asText("").startsWith("invalid")) {
            throw SandboxErrors.thirdParty(400, "INVALID_CREDENTIALS", "The provider rejected the API key", 401);
        }
        Credential c = store.addCredential(userId, connectorId, type);
        return store.mapper.createObjectNode().put("credentialId", c.credentialId());
    }

    @GET
    @Path("/connectors/{connectorId}/credentials")
    public ObjectNode credentials(@PathParam("connectorId") String connectorId, @Context HttpHeaders headers) {
        authorize(headers);
        connector(connectorId);
        ObjectNode out = store.mapper.createObjectNode();
        ArrayNode list = out.putArray("credentials");
        store.credentialsOf(endUser(headers), connectorId).forEach(c -> list.add(store.describe(c)));
        return out;
    }

    @GET
    @Path("/users/{userId}/credentials")
    public ObjectNode userCredentials(@PathParam("userId") String userId, @Context HttpHeaders headers) {
        authorize(headers);
        if (store.user(userId).isEmpty()) {
            throw userNotFound();
        }
        ObjectNode out = store.mapper.createObjectNode();
        ArrayNode list = out.putArray("data");
        store.credentialsOf(userId, null).forEach(c -> list.add(store.describe(c)));
        return out;
    }

    @DELETE
    @Path("/connectors/{connectorId}/credentials/{credentialId}")
    public ObjectNode deleteCredential(@PathParam("connectorId") String connectorId,
            @PathParam("credentialId") String credentialId, @Context HttpHeaders headers) {
        authorize(headers);
        if (!store.deleteCredential(endUser(headers), connectorId, credentialId)) {
            throw SandboxErrors.credentialNotFound();
        }
        return store.mapper.createObjectNode().put("success", true);
    }

    // ---- OAuth consent (a browser page, not an API call: no API key) ----

    @GET
    @Path("/oauth/consent")
    @Produces(MediaType.TEXT_HTML)
    public Response consentPage(@QueryParam("state") String state) {
        PendingConsent pending = state == null ? null : store.consents.get(state);
        if (pending == null) {
            return Response.status(404).type(MediaType.TEXT_HTML)
                    .entity("<!doctype html><title>Expired</title><p>This consent link is unknown or used.</p>").build();
        }
        String connectorName = store.connector(pending.connectorId()).map(c -> c.path("name").asText())
                .orElse(pending.connectorId());
        String html = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Connect %1$s (Alloy sandbox)</title></head>
                <body style="font-family: sans-serif; max-width: 32rem; margin: 4rem auto">
                <h1>Connect %1$s</h1>
                <p>The Alloy sandbox stands in for %1$s's consent screen. Nothing leaves this machine.</p>
                <form method="post" action="consent">
                  <input type="hidden" name="state" value="%2$s">
                  <button name="decision" value="approve" id="approve">Approve</button>
                  <button name="decision" value="deny" id="deny">Deny</button>
                </form>
                </body></html>
                """.formatted(escapeHtml(connectorName), escapeHtml(state));
        return Response.ok(html, MediaType.TEXT_HTML).build();
    }

    @POST
    @Path("/oauth/consent")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response consent(@FormParam("state") String state, @FormParam("decision") String decision) {
        PendingConsent pending = state == null ? null : store.consents.remove(state);
        if (pending == null) {
            return Response.status(404).type(MediaType.TEXT_HTML)
                    .entity("<!doctype html><title>Expired</title><p>This consent link is unknown or used.</p>").build();
        }
        boolean approved = "approve".equals(decision);
        if (approved) {
            store.addCredential(pending.userId(), pending.connectorId(), pending.authenticationType());
        }
        if (pending.redirectUri() == null || pending.redirectUri().isBlank()) {
            return Response.ok("<!doctype html><title>Done</title><p>" + (approved ? "Connected." : "Denied.")
                    + "</p>", MediaType.TEXT_HTML).build();
        }
        // Like Alloy's hosted callback: the browser goes on to redirectUri as given, told nothing of the
        // credential (it appears in the user's credential list).
        return Response.seeOther(URI.create(pending.redirectUri())).build();
    }

    // ---- execute ----

    @POST
    @Path("/connectors/{connectorId}/actions/{actionId}/execute")
    public Response execute(@PathParam("connectorId") String connectorId, @PathParam("actionId") String actionId,
            ObjectNode body, @Context HttpHeaders headers) {
        authenticate(headers, body == null ? null : text(body, "credentialId"));
        Fault fault = faults.draw(true);
        faults.before(fault);
        connector(connectorId);
        ObjectNode action = store.action(connectorId, actionId)
                .orElseThrow(() -> SandboxErrors.alloy(404, "ACTION_NOT_FOUND", "Action not found"));
        String credentialId = body == null ? null : text(body, "credentialId");
        if (credentialId == null) {
            throw SandboxErrors.alloy(400, "INVALID_INPUT", "credentialId is required");
        }
        Credential credential = store.credentials.get(credentialId);
        if (credential == null || !credential.userId().equals(endUser(headers))
                || !credential.connectorId().equals(connectorId)) {
            throw SandboxErrors.credentialNotFound();
        }
        Response answer;
        try {
            answer = actions.execute(action, credential, body);
        } catch (WebApplicationException refused) {
            ran(credential, actionId, body, refused.getResponse().getStatus());
            throw refused;
        }
        ran(credential, actionId, body, fault == Fault.SERVER_ERROR_AFTER ? 502 : answer.getStatus());
        faults.after(fault);
        return answer;
    }

    /** Journals an execute that reached its action (a 429 means nothing ran, and is not journalled). */
    private void ran(Credential credential, String actionId, ObjectNode body, int status) {
        if (status != 429) {
            journal.executed(new Executed(credential.userId(), credential.credentialId(), credential.connectorId(),
                    actionId, body.path("requestBody").toString(), status, Instant.now()));
        }
    }

    // ---- helpers ----

    /** Checks the call's key and version, then applies any injected fault (an execute draws its own). */
    private void authorize(HttpHeaders headers) {
        authenticate(headers, null);
        faults.before(faults.draw(false));
    }

    private void authenticate(HttpHeaders headers, String credentialId) {
        journal.record(routing.request().method().name(), routing.request().path(),
                headers.getHeaderString(USER_HEADER), credentialId);
        String auth = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (auth == null || !auth.equals("Bearer " + apiKey)) {
            throw SandboxErrors.alloy(401, "UNAUTHORIZED", "Invalid API key");
        }
        String version = headers.getHeaderString("x-api-version");
        if (!apiVersion.equals(version)) {
            throw SandboxErrors.alloy(400, "INVALID_API_VERSION", "x-api-version must be " + apiVersion);
        }
    }

    /** The end user a call acts for: {@code x-alloy-userid}, or the account owner when it is missing. */
    private String endUser(HttpHeaders headers) {
        String userId = headers.getHeaderString(USER_HEADER);
        if (userId == null || userId.isBlank()) {
            return SandboxStore.OWNER;
        }
        if (store.user(userId).isEmpty()) {
            throw userNotFound();
        }
        return userId;
    }

    private ObjectNode connector(String connectorId) {
        return store.connector(connectorId)
                .orElseThrow(() -> SandboxErrors.alloy(404, "CONNECTOR_NOT_FOUND", "Connector not found"));
    }

    private ObjectNode describe(User u) {
        return store.mapper.createObjectNode().put("userId", u.userId()).put("username", u.username())
                .put("fullName", u.fullName());
    }

    private static WebApplicationException userNotFound() {
        return SandboxErrors.alloy(404, "USER_NOT_FOUND", "User not found");
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body == null ? null : body.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
