package com.alloygateway.credentials;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import com.alloygateway.alloy.AlloyClient;
import com.alloygateway.alloy.AlloyHttpException;
import com.alloygateway.alloy.AlloyUnavailableException;
import com.alloygateway.alloy.JsonSupport;
import com.alloygateway.catalog.CatalogService;
import com.alloygateway.catalog.CredentialRequirement;
import com.alloygateway.db.Database;
import com.alloygateway.graphql.GatewayException;
import com.alloygateway.support.Jsonp;
import com.alloygateway.tenancy.ProvisionedTenant;
import com.alloygateway.tenancy.TenancyService;
import com.alloygateway.validation.Ids;
import com.alloygateway.validation.JsonInputs;
import com.alloygateway.validation.SchemaValidator;
import com.alloygateway.validation.Violation;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * The caller's credentials. Alloy is asked with the caller's {@code x-alloy-userid} every time (never
 * cached); ownership is recorded here and checked before any use or deletion, so another tenant's id is
 * indistinguishable from one that does not exist and never reaches Alloy.
 */
@ApplicationScoped
public class CredentialsService {

    private final TenancyService tenancy;
    private final CatalogService catalog;
    private final AlloyClient alloy;
    private final Database db;
    private final CredentialRepository repository;
    private final OwnedCredentials owned;
    private final OAuthFlowService flows;
    private final RedirectAllowlist redirects;
    private final JsonInputs jsonInputs;
    private final SchemaValidator schemas;

    CredentialsService(TenancyService tenancy, CatalogService catalog, AlloyClient alloy, Database db,
            CredentialRepository repository, OwnedCredentials owned, OAuthFlowService flows,
            RedirectAllowlist redirects, SchemaValidator schemas, JsonInputs jsonInputs) {
        this.tenancy = tenancy;
        this.catalog = catalog;
        this.alloy = alloy;
        this.db = db;
        this.repository = repository;
        this.owned = owned;
        this.flows = flows;
        this.redirects = redirects;
        this.schemas = schemas;
        this.jsonInputs = jsonInputs;
    }

    public Uni<List<Credential>> list(String connectorId) {
        if (connectorId != null) {
            Ids.requireName(connectorId, "connectorId");
        }
        return tenancy.requireProvisioned().chain(me -> connectorId == null
                ? owned.list(me, null)
                : catalog.requireConnector(connectorId).chain(() -> owned.list(me, connectorId)));
    }

    /**
     * One of the caller's credentials, found across connectors; null for any other id. An id not recorded as
     * the caller's is looked for in the caller's whole list, whether it is unknown or another tenant's.
     */
    public Uni<Credential> credential(String credentialId) {
        Ids.requireCredentialId(credentialId, "id");
        return tenancy.requireProvisioned().chain(me -> db.read(s -> repository.find(s, credentialId))
                .chain(found -> owned.list(me, found != null && found.tenantId.equals(me.tenantId())
                        ? found.connectorId
                        : null))
                .map(mine -> mine.stream().filter(c -> c.id().equals(credentialId)).findFirst().orElse(null)));
    }

    public Uni<CredentialStart> create(CreateCredentialInput input) {
        Ids.requireName(input.connectorId, "input/connectorId");
        return tenancy.requireProvisioned()
                .chain(me -> catalog.credentialRequirements(input.connectorId).chain(requirements -> {
                    CredentialRequirement requirement = requirementFor(input, requirements);
                    boolean oauth = isOAuth(requirement);
                    JsonObject body = validatedBody(input, requirement, me.alloyUserId(), oauth);
                    return oauth ? startOAuth(me, input, requirement, body) : createAtOnce(me, input, body);
                }));
    }

    /**
     * Deletes the caller's credential at Alloy, then its ownership record. A 404 counts as done where it says
     * the credential is gone, or, saying less ("404 unknown id" is all ALLOY-API.md promises), where the user's
     * credential list at Alloy no longer has it; any other failure is reported and the record stays.
     */
    public Uni<Boolean> delete(String connectorId, String credentialId) {
        Ids.requireName(connectorId, "connectorId");
        Ids.requireCredentialId(credentialId, "id");
        return tenancy.requireProvisioned()
                .chain(me -> requireOwned(me, connectorId, credentialId, "deleteCredential")
                        .chain(() -> alloy.deleteCredential(connectorId, credentialId, me.alloyUserId())
                                .onFailure(AlloyClient::isNotFound).recoverWithUni(notFound ->
                                        goneAfter404(me, connectorId, credentialId, notFound)))
                        .chain(() -> db.write(s -> repository.delete(s, me.tenantId(), credentialId)))
                        .replaceWith(Boolean.TRUE));
    }

    /** Done if the 404 says the credential is gone or Alloy's list lacks it; otherwise the 404 itself. */
    private Uni<Void> goneAfter404(ProvisionedTenant me, String connectorId, String credentialId, Throwable notFound) {
        if (AlloyClient.saysNoSuchCredential(notFound)) {
            return Uni.createFrom().voidItem();
        }
        return alloy.credentials(connectorId, me.alloyUserId())
                .onFailure().transform(listFailed -> notFound)
                .chain(listed -> listed.stream().anyMatch(c -> credentialId.equals(c.credentialId()))
                        ? Uni.createFrom().failure(notFound)
                        : Uni.createFrom().voidItem());
    }

    /**
     * Succeeds if the credential is the caller's and the connector's. Otherwise writes an audit row and fails
     * with NOT_FOUND. No call carrying {@code credentialId} is made.
     */
    public Uni<Void> requireOwned(ProvisionedTenant me, String connectorId, String credentialId, String operation) {
        return isOwned(me, connectorId, credentialId).chain(isMine -> isMine
                ? Uni.createFrom().voidItem()
                : db.write(s -> repository.audit(s,
                        AuditEvent.credentialDenied(me.tenantId(), operation, connectorId, credentialId)))
                        .chain(() -> Uni.createFrom().failure(GatewayException.notFound("Credential"))));
    }

    /**
     * Whether the credential is the caller's and the connector's. An id not recorded as such is looked for
     * in the caller's own list (OAuth credentials appear there without passing through the gateway); that
     * call carries the caller's user id, never {@code credentialId}. It is made, and its failure (an unknown
     * connector, Alloy down) read as "not the caller's", alike for an unknown id and another tenant's, so
     * nothing in the answer or its timing tells the two apart.
     */
    public Uni<Boolean> isOwned(ProvisionedTenant me, String connectorId, String credentialId) {
        return repository.isRecordedAs(credentialId, me.tenantId(), connectorId).chain(recorded -> {
            if (recorded) {
                return Uni.createFrom().item(true);
            }
            return catalog.requireConnector(connectorId)
                    .chain(() -> owned.list(me, connectorId))
                    .map(mine -> mine.stream().anyMatch(c -> c.id().equals(credentialId)))
                    .onFailure().recoverWithItem(failure -> {
                        Log.debugf("Credential %s not confirmed as the caller's: %s", credentialId, failure);
                        return false;
                    });
        });
    }

    // ---- creating ----

    private static CredentialRequirement requirementFor(CreateCredentialInput input,
            List<CredentialRequirement> requirements) {
        String type = input.authenticationType == null ? "" : input.authenticationType.trim();
        return requirements.stream().filter(r -> r.authenticationType().equals(type)).findFirst()
                .orElseThrow(() -> GatewayException.invalidInput("/input/authenticationType",
                        "must be one of: " + requirements.stream().map(CredentialRequirement::authenticationType)
                                .collect(Collectors.joining(", "))));
    }

    /**
     * OAuth types end in a consent: {@code oauth…} by name, or a body that requires a {@code redirectUri}
     * (ALLOY-API.md: the schema's top-level {@code required} names it for OAuth). A {@code redirectUri} that is
     * only among the properties says nothing: the whole body's schema may describe every field the call takes.
     */
    static boolean isOAuth(CredentialRequirement requirement) {
        if (requirement.authenticationType().toLowerCase(Locale.ROOT).startsWith("oauth")) {
            return true;
        }
        JsonObject schema = JsonSupport.asObject(requirement.inputSchema());
        return JsonSupport.strings(schema, "required").contains("redirectUri");
    }

    /**
     * The body that will be sent (the caller's redirect URI in it, for OAuth replaced by the gateway's own
     * return address later), checked against Alloy's schema of the whole body. Violations are reported at the
     * caller's paths; the fields the gateway fills in ({@code userId}) are never blamed on the caller.
     */
    private JsonObject validatedBody(CreateCredentialInput input, CredentialRequirement requirement, String userId,
            boolean oauth) {
        List<Violation> violations = new ArrayList<>();
        if (oauth || input.redirectUri != null) {
            String problem = redirects.problem(input.redirectUri);
            if (problem != null) {
                violations.add(new Violation("/input/redirectUri", problem));
            }
        }
        if (oauth) {
            flows.requireReturnAddress();
        }
        String authConfigId = input.authConfigId == null || input.authConfigId.isBlank() ? null : input.authConfigId;
        if (Boolean.TRUE.equals(requirement.authConfigRequired()) && authConfigId == null) {
            violations.add(new Violation("/input/authConfigId", "is required for this authentication type"));
        }
        JsonValue data = input.data == null || input.data == JsonValue.NULL ? null : input.data;
        List<Violation> unreadable = data == null ? List.of() : jsonInputs.check(data, "/input/data");
        if (!unreadable.isEmpty()) {
            throw GatewayException.invalidInput(unreadable);
        }
        if (data != null && data.getValueType() != JsonValue.ValueType.OBJECT) {
            violations.add(new Violation("/input/data", "must be a JSON object"));
            data = null;
        }
        JsonObject schema = JsonSupport.asObject(requirement.inputSchema());
        if (data == null && (requirement.dataSchema() != null
                || JsonSupport.strings(schema, "required").contains("data"))) {
            // Checked as an empty object, so a missing field is reported where it goes (/input/data/apiKey).
            data = JsonValue.EMPTY_JSON_OBJECT;
        }
        JsonObjectBuilder body = Jsonp.JSON.createObjectBuilder()
                .add("userId", userId)
                .add("authenticationType", requirement.authenticationType());
        if (input.redirectUri != null) {
            body.add("redirectUri", input.redirectUri);
        }
        if (authConfigId != null) {
            body.add("authConfigId", authConfigId);
        }
        if (data != null) {
            body.add("data", data);
        }
        JsonObject built = body.build();
        Set<String> reported = violations.stream().map(Violation::path).collect(Collectors.toCollection(HashSet::new));
        for (Violation v : schemas.validate(schema, built, "")) {
            if (v.path().equals("/userId") || v.path().startsWith("/userId/")) {
                Log.warnf("Alloy's credential schema refuses the gateway's userId (%s); left to Alloy", v.message());
                continue;
            }
            String path = "/input" + v.path();
            if (reported.add(path)) {
                violations.add(new Violation(path, v.message()));
            }
        }
        if (!violations.isEmpty()) {
            throw GatewayException.invalidInput(violations);
        }
        return built;
    }

    private Uni<CredentialStart> createAtOnce(ProvisionedTenant me, CreateCredentialInput input, JsonObject body) {
        return alloy.createCredential(input.connectorId, me.alloyUserId(), body).chain(answer -> {
            String credentialId = JsonSupport.string(answer, "credentialId");
            String oauthUrl = JsonSupport.string(answer, "oauthUrl");
            if (credentialId == null) {
                return Uni.createFrom().item(new CredentialStart(null, oauthUrl, null));
            }
            return record(me, input.connectorId, credentialId, JsonSupport.string(body, "authenticationType"))
                    .replaceWith(new CredentialStart(credentialId, oauthUrl, null));
        });
    }

    /**
     * Notes the tenant's credentials for the connector, opens a flow, and asks Alloy for a consent URL whose
     * end is the gateway's return address for that flow.
     */
    private Uni<CredentialStart> startOAuth(ProvisionedTenant me, CreateCredentialInput input,
            CredentialRequirement requirement, JsonObject body) {
        String connectorId = input.connectorId;
        return owned.list(me, connectorId)
                .chain(known -> flows.start(me, connectorId, requirement.authenticationType(), input.redirectUri,
                        known))
                .chain(flow -> {
                    JsonObject sent = Jsonp.JSON.createObjectBuilder(body)
                            .add("redirectUri", flows.returnUrl(flow.id)).build();
                    return alloy.createCredential(connectorId, me.alloyUserId(), sent)
                            .onFailure().call(failure -> flows.finishNow(flow, OAuthFlowStatus.FAILED, null))
                            .chain(answer -> started(me, flow, requirement, answer));
                });
    }

    private Uni<CredentialStart> started(ProvisionedTenant me, OAuthFlowRecord flow, CredentialRequirement requirement,
            JsonObject answer) {
        String oauthUrl = JsonSupport.string(answer, "oauthUrl");
        String credentialId = JsonSupport.string(answer, "credentialId");
        if (oauthUrl != null) {
            return Uni.createFrom().item(new CredentialStart(null, oauthUrl, OAuthFlow.of(flow, Instant.now())));
        }
        if (credentialId != null) {
            // Alloy needed no consent after all: the flow is connected at once.
            Credential made = new Credential(credentialId, flow.connectorId, null, null, null, null);
            return record(me, flow.connectorId, credentialId, requirement.authenticationType())
                    .chain(() -> flows.finishNow(flow, OAuthFlowStatus.CONNECTED, made))
                    .map(done -> new CredentialStart(credentialId, null, OAuthFlow.of(done, Instant.now())));
        }
        return flows.finishNow(flow, OAuthFlowStatus.FAILED, null).chain(() -> Uni.createFrom().failure(
                new AlloyUnavailableException(AlloyUnavailableException.Reason.MALFORMED_RESPONSE,
                        "answer has neither oauthUrl nor credentialId")));
    }

    private Uni<Integer> record(ProvisionedTenant me, String connectorId, String credentialId, String type) {
        CredentialOwnership o = CredentialOwnership.of(credentialId, me.tenantId(), connectorId, type);
        return db.write(s -> repository.recordIfAbsent(s, o));
    }

}
