package com.alloygateway.credentials;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import com.alloygateway.alloy.AlloyClient;
import com.alloygateway.alloy.AlloyCredential;
import com.alloygateway.alloy.JsonSupport;
import com.alloygateway.catalog.CatalogService;
import com.alloygateway.catalog.CredentialRequirement;
import com.alloygateway.db.Database;
import com.alloygateway.execution.SchemaValidator;
import com.alloygateway.graphql.GatewayException;
import com.alloygateway.graphql.GatewayException.Violation;
import com.alloygateway.graphql.Inputs;
import com.alloygateway.graphql.Timestamps;
import com.alloygateway.tenancy.ProvisionedTenant;
import com.alloygateway.tenancy.TenancyService;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * The caller's credentials. Alloy is asked with the caller's {@code x-alloy-userid} every time (never
 * cached); ownership is recorded here and checked before any use or deletion, so another tenant's id is
 * indistinguishable from one that does not exist and never reaches Alloy.
 */
@ApplicationScoped
public class CredentialsService {

    private static final Pattern CREDENTIAL_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final String OAUTH2 = "oauth2";

    private final TenancyService tenancy;
    private final CatalogService catalog;
    private final AlloyClient alloy;
    private final Database db;
    private final CredentialRepository repository;
    private final SchemaValidator schemas;

    CredentialsService(TenancyService tenancy, CatalogService catalog, AlloyClient alloy, Database db,
            CredentialRepository repository, SchemaValidator schemas) {
        this.tenancy = tenancy;
        this.catalog = catalog;
        this.alloy = alloy;
        this.db = db;
        this.repository = repository;
        this.schemas = schemas;
    }

    public Uni<List<Credential>> list(String connectorId) {
        if (connectorId != null) {
            Inputs.name(connectorId, "connectorId");
        }
        return tenancy.requireProvisioned().chain(me -> connectorId == null
                ? fetchAndRemember(me, null)
                : catalog.requireConnector(connectorId).chain(() -> fetchAndRemember(me, connectorId)));
    }

    public Uni<CredentialStart> create(CreateCredentialInput input) {
        Inputs.name(input.connectorId, "input/connectorId");
        return tenancy.requireProvisioned()
                .chain(me -> catalog.credentialRequirements(input.connectorId)
                        .chain(requirements -> {
                            JsonObject body = validatedBody(input, requirements, me.alloyUserId());
                            return alloy.createCredential(input.connectorId, me.alloyUserId(), body)
                                    .chain(answer -> started(me, input, answer));
                        }));
    }

    public Uni<Boolean> delete(String connectorId, String credentialId) {
        Inputs.name(connectorId, "connectorId");
        requireCredentialId(credentialId, "id");
        return tenancy.requireProvisioned()
                .chain(me -> requireOwned(me, connectorId, credentialId, "deleteCredential")
                        .chain(() -> alloy.deleteCredential(connectorId, credentialId, me.alloyUserId())
                                // Gone at Alloy already: the caller's wish is met all the same.
                                .onFailure(AlloyClient::isNotFound).recoverWithNull())
                        .chain(() -> db.write(s -> repository.delete(s, me.tenantId(), credentialId)))
                        .replaceWith(Boolean.TRUE));
    }

    /**
     * Succeeds if the credential is the caller's and the connector's. Otherwise writes an audit row and fails
     * with NOT_FOUND. No call carrying {@code credentialId} is made.
     */
    public Uni<Void> requireOwned(ProvisionedTenant me, String connectorId, String credentialId, String operation) {
        return isOwned(me, connectorId, credentialId).chain(owned -> owned
                ? Uni.createFrom().voidItem()
                : db.write(s -> repository.audit(s,
                        AuditEvent.credentialDenied(me.tenantId(), operation, connectorId, credentialId)))
                        .chain(() -> Uni.createFrom().failure(GatewayException.notFound("Credential"))));
    }

    /**
     * Whether the credential is the caller's and the connector's. An id the gateway has never seen is looked
     * for in the caller's own list once (OAuth credentials appear there without passing through the
     * gateway); that call carries the caller's user id, never {@code credentialId}.
     */
    public Uni<Boolean> isOwned(ProvisionedTenant me, String connectorId, String credentialId) {
        return db.read(s -> repository.find(s, credentialId)).chain(found -> {
            if (owns(me, connectorId, found)) {
                return Uni.createFrom().item(true);
            }
            if (found != null) {
                return Uni.createFrom().item(false);
            }
            return catalog.requireConnector(connectorId)
                    .chain(() -> fetchAndRemember(me, connectorId))
                    .map(mine -> mine.stream().anyMatch(c -> c.id().equals(credentialId)));
        });
    }

    public static void requireCredentialId(String credentialId, String argument) {
        if (credentialId == null || !CREDENTIAL_ID.matcher(credentialId).matches()) {
            throw GatewayException.invalidInput("/" + argument, "must be 1-128 letters, digits, _ or -");
        }
    }

    private static boolean owns(ProvisionedTenant me, String connectorId, CredentialOwnership o) {
        return o != null && o.tenantId.equals(me.tenantId()) && o.connectorId.equals(connectorId);
    }

    /** Alloy's list for the caller, with ownership recorded for what is new and anything foreign dropped. */
    private Uni<List<Credential>> fetchAndRemember(ProvisionedTenant me, String connectorId) {
        Uni<List<AlloyCredential>> fetched = connectorId == null
                ? alloy.userCredentials(me.alloyUserId())
                : alloy.credentials(connectorId, me.alloyUserId());
        return fetched.chain(listed -> db.write(s -> repository
                .findAll(s, listed.stream().map(AlloyCredential::credentialId).toList())
                .chain(known -> {
                    Map<String, CredentialOwnership> byId = known.stream()
                            .collect(Collectors.toMap(o -> o.credentialId, Function.identity()));
                    List<Credential> mine = new ArrayList<>();
                    Uni<Void> writes = Uni.createFrom().voidItem();
                    for (AlloyCredential c : listed) {
                        CredentialOwnership o = byId.get(c.credentialId());
                        if (o != null && !o.tenantId.equals(me.tenantId())) {
                            Log.warnf("Alloy listed credential %s for tenant %s, but it belongs to another tenant;"
                                    + " not shown", c.credentialId(), me.tenantId());
                            continue;
                        }
                        String connector = o != null ? o.connectorId
                                : connectorId != null ? connectorId
                                        : c.connectorFromType() != null ? c.connectorFromType() : "unknown";
                        if (o == null) {
                            CredentialOwnership recorded = CredentialOwnership.of(c.credentialId(), me.tenantId(),
                                    connector, authenticationType(c, connector));
                            writes = writes.chain(() -> repository.recordIfAbsent(s, recorded)).replaceWithVoid();
                        }
                        mine.add(new Credential(c.credentialId(), connector, c.name(), c.type(),
                                Timestamps.normalize(c.createdAt()), Timestamps.normalize(c.updatedAt())));
                    }
                    return writes.replaceWith(mine);
                })));
    }

    private JsonObject validatedBody(CreateCredentialInput input, List<CredentialRequirement> requirements,
            String userId) {
        List<Violation> violations = new ArrayList<>();
        String type = input.authenticationType == null ? "" : input.authenticationType.trim();
        CredentialRequirement requirement = requirements.stream()
                .filter(r -> r.authenticationType().equals(type)).findFirst().orElse(null);
        if (requirement == null) {
            violations.add(new Violation("/input/authenticationType", "must be one of: " + requirements.stream()
                    .map(CredentialRequirement::authenticationType).collect(Collectors.joining(", "))));
            throw GatewayException.invalidInput(violations);
        }
        if (input.redirectUri != null && !isHttpUrl(input.redirectUri)) {
            violations.add(new Violation("/input/redirectUri", "must be an absolute http or https URL"));
        } else if (input.redirectUri == null && OAUTH2.equals(type)) {
            violations.add(new Violation("/input/redirectUri", "is required for OAuth"));
        }
        if (Boolean.TRUE.equals(requirement.authConfigRequired())
                && (input.authConfigId == null || input.authConfigId.isBlank())) {
            violations.add(new Violation("/input/authConfigId", "is required for this authentication type"));
        }
        JsonValue data = input.data == null || input.data == JsonValue.NULL ? null : input.data;
        if (data != null && data.getValueType() != JsonValue.ValueType.OBJECT) {
            violations.add(new Violation("/input/data", "must be a JSON object"));
        } else if (requirement.inputSchema() != null) {
            violations.addAll(schemas.validate(requirement.inputSchema(),
                    data != null ? data : JsonValue.EMPTY_JSON_OBJECT, "/input/data"));
        }
        if (!violations.isEmpty()) {
            throw GatewayException.invalidInput(violations);
        }
        JsonObjectBuilder body = Json.createObjectBuilder()
                .add("userId", userId)
                .add("authenticationType", type);
        if (input.redirectUri != null) {
            body.add("redirectUri", input.redirectUri);
        }
        if (input.authConfigId != null && !input.authConfigId.isBlank()) {
            body.add("authConfigId", input.authConfigId);
        }
        if (data != null) {
            body.add("data", data);
        }
        return body.build();
    }

    private Uni<CredentialStart> started(ProvisionedTenant me, CreateCredentialInput input, JsonObject answer) {
        String credentialId = JsonSupport.string(answer, "credentialId");
        String oauthUrl = JsonSupport.string(answer, "oauthUrl");
        if (credentialId == null) {
            return Uni.createFrom().item(new CredentialStart(null, oauthUrl));
        }
        CredentialOwnership owned = CredentialOwnership.of(credentialId, me.tenantId(), input.connectorId,
                input.authenticationType.trim());
        return db.write(s -> repository.recordIfAbsent(s, owned))
                .replaceWith(new CredentialStart(credentialId, oauthUrl));
    }

    private static String authenticationType(AlloyCredential c, String connectorId) {
        String type = c.type();
        if (type != null && type.startsWith(connectorId + "-")) {
            return type.substring(connectorId.length() + 1);
        }
        return null;
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = URI.create(value);
            return uri.isAbsolute() && uri.getHost() != null && value.length() <= 2048
                    && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
