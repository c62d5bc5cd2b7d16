package com.alloygateway.execution;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import com.alloygateway.alloy.AlloyClient;
import com.alloygateway.catalog.Action;
import com.alloygateway.catalog.CatalogService;
import com.alloygateway.credentials.CredentialsService;
import com.alloygateway.graphql.GatewayException;
import com.alloygateway.support.Jsonp;
import com.alloygateway.tenancy.ProvisionedTenant;
import com.alloygateway.tenancy.TenancyService;
import com.alloygateway.validation.Ids;
import com.alloygateway.validation.Violation;

import io.smallrye.mutiny.Uni;

/**
 * {@code executeAction}, as the story of one execution: a repeat of an idempotency key is answered from the
 * first; a credential that is not the caller's is refused (and logged as REJECTED); the input is checked
 * against the action's schema; the row is written, the call made with its retry rules, and the row completed.
 * When the catalog is warm and the input valid, the ownership check and the row are one statement.
 */
@ApplicationScoped
public class ExecutionService {

    private final TenancyService tenancy;
    private final CatalogService catalog;
    private final CredentialsService credentials;
    private final AlloyClient alloy;
    private final ActionInputValidator validator;
    private final Idempotency idempotency;
    private final ExecutionAudit audit;
    private final ExecutionConfig config;

    ExecutionService(TenancyService tenancy, CatalogService catalog, CredentialsService credentials,
            AlloyClient alloy, ActionInputValidator validator, Idempotency idempotency, ExecutionAudit audit,
            ExecutionConfig config) {
        this.tenancy = tenancy;
        this.catalog = catalog;
        this.credentials = credentials;
        this.alloy = alloy;
        this.validator = validator;
        this.idempotency = idempotency;
        this.audit = audit;
        this.config = config;
    }

    public Uni<Execution> execute(ExecuteActionInput input) {
        checkShape(input);
        String fingerprint = InputFingerprint.of(input);
        return tenancy.requireProvisioned().chain(me -> idempotency.replay(me, input.idempotencyKey, fingerprint)
                .chain(replayed -> replayed.isPresent()
                        ? Uni.createFrom().item(replayed.get())
                        : fresh(me, input, fingerprint)));
    }

    /**
     * With the action cached and the input valid for it, one statement checks that the credential is recorded as
     * the caller's and writes the row; otherwise (a cold catalog, bad input, a credential not recorded as the
     * caller's) the long way, ownership first.
     */
    private Uni<Execution> fresh(ProvisionedTenant me, ExecuteActionInput input, String fingerprint) {
        Action known = catalog.knownAction(input.connectorId, input.actionId).orElse(null);
        if (known == null || !validator.validate(known, input).isEmpty()) {
            return ownershipFirst(me, input, fingerprint);
        }
        return audit.startedIfRecordedOwner(me, input, fingerprint).chain(started -> {
            if (started.record() != null) {
                return call(me, known, input, started.record());
            }
            return started.recordedOwner()
                    ? claimedMeanwhile(me, input, fingerprint)
                    // Not recorded as the caller's: Alloy's list of the caller's credentials decides, as always.
                    : ownershipFirst(me, input, fingerprint);
        });
    }

    private Uni<Execution> ownershipFirst(ProvisionedTenant me, ExecuteActionInput input, String fingerprint) {
        // Ownership first: an id that is not the caller's is answered alike whatever else is wrong (an
        // unknown connector or action), so the answer never tells another tenant's id from an unknown one.
        return credentials.isOwned(me, input.connectorId, input.credentialId).chain(owned -> !owned
                ? refused(me, input)
                : catalog.action(input.connectorId, input.actionId).chain(action -> {
                    if (action == null) {
                        return Uni.createFrom().failure(GatewayException.notFound("Action"));
                    }
                    List<Violation> violations = validator.validate(action, input);
                    if (!violations.isEmpty()) {
                        return Uni.createFrom().failure(GatewayException.invalidInput(violations));
                    }
                    return audit.started(me, input, fingerprint).chain(record -> record != null
                            ? call(me, action, input, record)
                            : claimedMeanwhile(me, input, fingerprint));
                }));
    }

    /** Another request claimed the key since our look-up: answered as a repeat. */
    private Uni<Execution> claimedMeanwhile(ProvisionedTenant me, ExecuteActionInput input, String fingerprint) {
        return idempotency.replay(me, input.idempotencyKey, fingerprint)
                .map(replayed -> replayed.orElseThrow(() -> Idempotency.conflict(null)));
    }

    /** NOT_FOUND, as for an id that does not exist, with the id of the REJECTED row; no call. */
    private Uni<Execution> refused(ProvisionedTenant me, ExecuteActionInput input) {
        return audit.rejected(me, input).map(record -> {
            throw GatewayException.notFound("Credential").with("executionId", record.id.toString());
        });
    }

    private Uni<Execution> call(ProvisionedTenant me, Action action, ExecuteActionInput input,
            ExecutionRecord record) {
        boolean readOnly = "get".equalsIgnoreCase(action.httpMethod());
        long started = System.nanoTime();
        return alloy.execute(input.connectorId, input.actionId, me.alloyUserId(), upstreamBody(input), readOnly)
                .map(call -> Outcome.of(call, readOnly))
                .call(outcome -> audit.finished(record, outcome, started))
                .map(outcome -> {
                    if (outcome.error() != null) {
                        throw outcome.error().with("executionId", record.id.toString());
                    }
                    return Execution.answered(record, outcome.responseData(), false);
                });
    }

    private void checkShape(ExecuteActionInput input) {
        Ids.requireName(input.connectorId, "input/connectorId");
        Ids.requireName(input.actionId, "input/actionId");
        Ids.requireCredentialId(input.credentialId, "input/credentialId");
        if (input.idempotencyKey != null && (input.idempotencyKey.isEmpty()
                || input.idempotencyKey.length() > config.maxIdempotencyKeyLength())) {
            throw GatewayException.invalidInput("/input/idempotencyKey",
                    "must be 1 to " + config.maxIdempotencyKeyLength() + " characters");
        }
    }

    private static JsonObject upstreamBody(ExecuteActionInput input) {
        JsonObjectBuilder body = Jsonp.JSON.createObjectBuilder().add("credentialId", input.credentialId);
        addIfPresent(body, "queryParameters", input.queryParameters);
        addIfPresent(body, "requestBody", input.requestBody);
        addIfPresent(body, "pathParams", input.pathParams);
        addIfPresent(body, "additionalHeaders", input.additionalHeaders);
        return body.build();
    }

    private static void addIfPresent(JsonObjectBuilder body, String name, JsonValue value) {
        if (value != null && value != JsonValue.NULL) {
            body.add(name, value);
        }
    }
}
