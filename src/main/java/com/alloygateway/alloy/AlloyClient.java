package com.alloygateway.alloy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import com.alloygateway.alloy.AlloyUnavailableException.Reason;
import com.alloygateway.support.Jsonp;

import io.smallrye.mutiny.Uni;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

/**
 * The one door to Alloy: its endpoints as the rest of the gateway uses them. User-scoped calls always carry
 * {@code x-alloy-userid}; catalog calls never do (one cache serves every tenant). How each call is sent
 * (account headers, size limit) is {@link AlloyTransport}'s; how it is bounded and retried {@link AlloyCalls}'.
 */
@ApplicationScoped
public class AlloyClient {

    /** Alloy's codes for "no such credential" (the flat form seen in the wild says AUTHENTICATION_NOT_FOUND). */
    private static final Pattern NO_CREDENTIAL_CODE =
            Pattern.compile("(CREDENTIAL|AUTHENTICATION|CONNECTION)S?_NOT_FOUND");

    private final AlloyTransport http;
    private final AlloyCalls calls;

    AlloyClient(AlloyTransport http, AlloyCalls calls) {
        this.http = http;
        this.calls = calls;
    }

    public static boolean isNotFound(Throwable t) {
        return t instanceof AlloyHttpException e && e.status() == 404;
    }

    public static boolean isConflict(Throwable t) {
        return t instanceof AlloyHttpException e && e.status() == 409;
    }

    /** A 404 whose body says there is no such credential (not an unknown route, user or connector). */
    public static boolean saysNoSuchCredential(Throwable failure) {
        if (!(failure instanceof AlloyHttpException e) || e.status() != 404) {
            return false;
        }
        if (e.code().isPresent()) {
            return NO_CREDENTIAL_CODE.matcher(e.code().get().toUpperCase(Locale.ROOT)).matches();
        }
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return message.matches(".*\\b(credential|authentication|connection)s? not found\\b.*");
    }

    /**
     * What Alloy may answer to a {@code POST /users} whose username is taken: ALLOY-API.md documents the username
     * as unique but no status for a clash, so a 409, or a 400 (its "bad input") from Alloy itself.
     */
    public static boolean mayBeTakenUsername(Throwable t) {
        return isConflict(t) || t instanceof AlloyHttpException e && e.status() == 400
                && e.source() == AlloyHttpException.Source.CONNECTIVITY_API;
    }

    // ---- catalog (account-wide: never sends x-alloy-userid) ----

    public Uni<List<AlloyConnector>> connectors() {
        return calls.read("GET /connectors", () -> http.send(GET, "/connectors", null, null))
                .map(reply -> AlloyAnswers.list(reply.body(), "connectors", AlloyConnector::from));
    }

    /** The connector's resources; an unknown connector fails with a 404 {@link AlloyHttpException}. */
    public Uni<List<AlloyResource>> resources(String connectorId) {
        return calls.read("GET /connectors/{c}/resources", () -> http.send(GET, "/connectors/" + seg(connectorId) + "/resources", null, null))
                .map(reply -> AlloyAnswers.list(reply.body(), "resources", AlloyResource::from));
    }

    /** The action's details, or empty where Alloy does not know the connector or the action. */
    public Uni<Optional<AlloyAction>> action(String connectorId, String actionId) {
        return calls.read("GET /connectors/{c}/actions/{a}", () -> http.send(GET,
                "/connectors/" + seg(connectorId) + "/actions/" + seg(actionId), null, null))
                .map(reply -> Optional.of(AlloyAction.from(reply.object(), actionId)))
                .onFailure(AlloyClient::isNotFound).recoverWithItem(Optional.empty());
    }

    /** What a credential for the connector needs; an unknown connector fails with a 404. */
    public Uni<List<AlloyCredentialMetadata>> credentialMetadata(String connectorId) {
        return calls.read("GET /connectors/{c}/credentials/metadata", () -> http.send(GET,
                "/connectors/" + seg(connectorId) + "/credentials/metadata", null, null))
                .map(reply -> AlloyAnswers.list(reply.body(), "metadata", AlloyCredentialMetadata::from));
    }

    // ---- users ----

    /** The id of the user with this username (or id), or empty where Alloy has none. */
    public Uni<Optional<String>> findUserId(String usernameOrId) {
        return calls.read("GET /users/{u}", () -> http.send(GET, "/users/" + seg(usernameOrId), null, null))
                .map(reply -> Optional.ofNullable(JsonSupport.string(reply.object(), "userId")))
                .onFailure(AlloyClient::isNotFound).recoverWithItem(Optional.empty());
    }

    /** Creates a user; a taken username fails with an {@link AlloyHttpException} ({@link #mayBeTakenUsername}). */
    public Uni<String> createUser(String username, String fullName) {
        JsonObjectBuilder body = Jsonp.JSON.createObjectBuilder().add("username", username);
        if (fullName != null) {
            body.add("fullName", fullName);
        }
        String json = body.build().toString();
        return calls.write("POST /users", () -> http.send(POST, "/users", null, json)).map(reply -> {
            String userId = JsonSupport.string(reply.object(), "userId");
            if (userId == null) {
                throw new AlloyUnavailableException(Reason.MALFORMED_RESPONSE, "answer has no userId");
            }
            return userId;
        });
    }

    // ---- credentials (user-scoped: always with x-alloy-userid) ----

    /**
     * The user's credentials for one connector. A 404 that says there is no credential (the flat
     * {@code AUTHENTICATION_NOT_FOUND} seen in the wild) is an empty list; one about the user or the connector fails.
     */
    public Uni<List<AlloyCredential>> credentials(String connectorId, String userId) {
        requireUser(userId);
        return calls.read("GET /connectors/{c}/credentials", () -> http.send(GET,
                "/connectors/" + seg(connectorId) + "/credentials", userId, null))
                .map(reply -> AlloyAnswers.list(reply.body(), "credentials", AlloyCredential::from))
                .onFailure(AlloyClient::saysNoSuchCredential).recoverWithItem(List.of());
    }

    /** The user's credentials for every connector; a 404 that says there is none is an empty list. */
    public Uni<List<AlloyCredential>> userCredentials(String userId) {
        requireUser(userId);
        return calls.read("GET /users/{u}/credentials", () -> http.send(GET,
                "/users/" + seg(userId) + "/credentials", userId, null))
                .map(reply -> AlloyAnswers.list(reply.body(), "credentials", AlloyCredential::from))
                .onFailure(AlloyClient::saysNoSuchCredential).recoverWithItem(List.of());
    }

    /** Starts a credential: {@code {oauthUrl}} for OAuth, {@code {credentialId}} for other types. */
    public Uni<JsonObject> createCredential(String connectorId, String userId, JsonObject body) {
        requireUser(userId);
        String json = body.toString();
        return calls.write("POST /connectors/{c}/credentials", () -> http.send(POST,
                "/connectors/" + seg(connectorId) + "/credentials", userId, json))
                .map(AlloyReply::object);
    }

    /** Deletes the user's credential. Deleting is idempotent, so it is retried like a read. */
    public Uni<Void> deleteCredential(String connectorId, String credentialId, String userId) {
        requireUser(userId);
        return calls.read("DELETE /connectors/{c}/credentials/{id}",
                () -> http.send(DELETE,
                        "/connectors/" + seg(connectorId) + "/credentials/" + seg(credentialId), userId, null)).replaceWithVoid();
    }

    // ---- execute ----

    /**
     * Runs an action for the user; the outcome, whatever it is (this never fails). {@code repeatable} (the
     * action's method is GET) allows the retries of a read; any other action is retried only where it cannot
     * have run (429, connection refused).
     */
    public Uni<CallOutcome> execute(String connectorId, String actionId, String userId, JsonObject body,
            boolean repeatable) {
        requireUser(userId);
        String json = body.toString();
        return calls.outcome("POST /connectors/{c}/actions/{a}/execute",
                AlloyCalls.Scope.execute(userId, connectorId), () -> http.send(POST,
                        "/connectors/" + seg(connectorId) + "/actions/" + seg(actionId) + "/execute", userId, json),
                repeatable);
    }

    private static String seg(String value) {
        return AlloyTransport.segment(value);
    }

    private static void requireUser(String userId) {
        // Without x-alloy-userid Alloy acts as the account owner: never let that happen by accident.
        if (userId == null || userId.isBlank()) {
            throw new IllegalStateException("user-scoped Alloy call without a user id");
        }
    }
}
