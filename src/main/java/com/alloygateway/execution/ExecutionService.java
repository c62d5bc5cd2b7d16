package com.alloygateway.execution;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import com.alloygateway.alloy.AlloyClient;
import com.alloygateway.alloy.AlloyClient.Attempts;
import com.alloygateway.alloy.AlloyHttpException;
import com.alloygateway.alloy.AlloyUnavailableException;
import com.alloygateway.alloy.JsonSupport;
import com.alloygateway.catalog.Action;
import com.alloygateway.catalog.CatalogService;
import com.alloygateway.credentials.CredentialsService;
import com.alloygateway.db.Database;
import com.alloygateway.graphql.ErrorCode;
import com.alloygateway.graphql.GatewayException;
import com.alloygateway.graphql.UpstreamErrors;
import com.alloygateway.tenancy.ProvisionedTenant;
import com.alloygateway.tenancy.TenancyService;
import com.alloygateway.validation.Ids;
import com.alloygateway.validation.Violation;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * {@code executeAction}: ownership, validation at the edge, idempotency, the call with its retry rules, and
 * the audit row — written before the call (as UNKNOWN) and completed after, so no attempt goes unrecorded
 * even if the gateway dies mid-call.
 */
@ApplicationScoped
public class ExecutionService {

    private final TenancyService tenancy;
    private final CatalogService catalog;
    private final CredentialsService credentials;
    private final AlloyClient alloy;
    private final Database db;
    private final ExecutionRepository repository;
    private final ActionInputValidator validator;
    private final ExecutionConfig config;
    private final MeterRegistry metrics;

    ExecutionService(TenancyService tenancy, CatalogService catalog, CredentialsService credentials,
            AlloyClient alloy, Database db, ExecutionRepository repository, ActionInputValidator validator,
            ExecutionConfig config, MeterRegistry metrics) {
        this.tenancy = tenancy;
        this.catalog = catalog;
        this.credentials = credentials;
        this.alloy = alloy;
        this.db = db;
        this.repository = repository;
        this.validator = validator;
        this.config = config;
        this.metrics = metrics;
    }

    public Uni<Execution> execute(ExecuteActionInput input) {
        checkShape(input);
        String fingerprint = fingerprint(input);
        return tenancy.requireProvisioned().chain(me -> replay(me, input.idempotencyKey, fingerprint)
                .chain(replayed -> replayed.isPresent()
                        ? Uni.createFrom().item(replayed.get())
                        : fresh(me, input, fingerprint)));
    }

    // ---- a new execution ----

    private Uni<Execution> fresh(ProvisionedTenant me, ExecuteActionInput input, String fingerprint) {
        // Ownership first: an id that is not the caller's is answered alike whatever else is wrong (an
        // unknown connector or action), so the answer never tells another tenant's id from an unknown one.
        return credentials.isOwned(me, input.connectorId, input.credentialId).chain(owned -> !owned
                ? rejected(me, input)
                : catalog.action(input.connectorId, input.actionId).chain(action -> {
                    if (action == null) {
                        return Uni.createFrom().failure(GatewayException.notFound("Action"));
                    }
                    List<Violation> violations = validator.validate(action, input);
                    if (!violations.isEmpty()) {
                        return Uni.createFrom().failure(GatewayException.invalidInput(violations));
                    }
                    return start(me, input, fingerprint).chain(record -> record != null
                            ? call(me, action, input, record)
                            // Another request claimed the key since our look-up: answer as to a repeat.
                            : replay(me, input.idempotencyKey, fingerprint)
                                    .map(replayed -> replayed.orElseThrow(() -> conflict(null))));
                }));
    }

    /** A credential that is not the caller's: NOT_FOUND, a REJECTED row in the caller's log, no call. */
    private Uni<Execution> rejected(ProvisionedTenant me, ExecuteActionInput input) {
        ExecutionRecord record = newRecord(me, input, ExecutionStatus.REJECTED);
        record.errorCode = ErrorCode.NOT_FOUND.name();
        record.finishedAt = record.startedAt;
        count(record);
        return db.write(s -> repository.insert(s, record))
                .chain(() -> Uni.createFrom().failure(
                        GatewayException.notFound("Credential").with("executionId", record.id.toString())));
    }

    /**
     * Claims the idempotency key (if any) and writes the row, as UNKNOWN, in one transaction. Null when the
     * key was claimed by another request meanwhile.
     */
    private Uni<ExecutionRecord> start(ProvisionedTenant me, ExecuteActionInput input, String fingerprint) {
        ExecutionRecord record = newRecord(me, input, ExecutionStatus.UNKNOWN);
        String key = input.idempotencyKey;
        if (key == null) {
            return db.write(s -> repository.insert(s, record)).replaceWith(record);
        }
        Instant now = record.startedAt;
        return db.write(s -> repository
                .claimKey(s, me.tenantId(), key, fingerprint, record.id, now, now.plus(config.idempotencyTtl()))
                .chain(claimed -> claimed == 1
                        ? repository.insert(s, record).replaceWith(true)
                        : Uni.createFrom().item(false)))
                .map(claimed -> claimed ? record : null);
    }

    private Uni<Execution> call(ProvisionedTenant me, Action action, ExecuteActionInput input, ExecutionRecord record) {
        boolean readOnly = "get".equalsIgnoreCase(action.httpMethod());
        Attempts attempts = new Attempts();
        long started = System.nanoTime();
        return alloy.execute(input.connectorId, input.actionId, me.alloyUserId(), upstreamBody(input), readOnly,
                attempts)
                .map(reply -> Outcome.succeeded(reply.status(), responseData(reply.body())))
                .onFailure().recoverWithItem(failure -> Outcome.failed(failure, readOnly))
                .chain(outcome -> finish(record, outcome, attempts.count(), started));
    }

    private Uni<Execution> finish(ExecutionRecord record, Outcome outcome, int attempts, long startedNanos) {
        record.status = outcome.status();
        record.upstreamStatus = outcome.upstreamStatus();
        record.errorCode = outcome.error() == null ? null : outcome.error().code().name();
        record.errorSource = outcome.errorSource();
        record.attempts = attempts;
        record.durationMs = (int) Math.min(Integer.MAX_VALUE, Duration.ofNanos(System.nanoTime() - startedNanos)
                .toMillis());
        record.finishedAt = Instant.now();
        count(record);
        String key = record.idempotencyKey;
        Uni<Void> saved = db.write(s -> repository.recordOutcome(s, record).chain(() -> {
            if (key == null) {
                return Uni.createFrom().voidItem();
            }
            if (outcome.keyReusable()) {
                return repository.releaseKey(s, record.tenantId, key).replaceWithVoid();
            }
            String data = outcome.responseData() == null ? null : outcome.responseData().toString();
            return repository.completeKey(s, record.tenantId, key, data).replaceWithVoid();
        }))
                // The call happened: its answer must reach the caller even if the log cannot be updated now.
                // The row stays UNKNOWN, which is what an unfinished record means.
                .onFailure().recoverWithItem(failure -> {
                    Log.errorf(failure, "Could not record the outcome of execution %s", record.id);
                    return null;
                });
        return saved.map(ignored -> {
            if (outcome.error() != null) {
                throw outcome.error().with("executionId", record.id.toString());
            }
            return Execution.of(record, outcome.responseData());
        });
    }

    // ---- idempotent repeats ----

    /** The stored answer for a repeated key, empty for a key not (or no longer) known. */
    private Uni<Optional<Execution>> replay(ProvisionedTenant me, String key, String fingerprint) {
        if (key == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return db.read(s -> repository.findKey(s, me.tenantId(), key).chain(stored -> {
            Instant now = Instant.now();
            if (stored == null || !stored.expiresAt.isAfter(now)) {
                return Uni.createFrom().item(Optional.<Execution> empty());
            }
            if (!stored.fingerprint.equals(fingerprint)) {
                return Uni.createFrom().failure(GatewayException.invalidInput("/input/idempotencyKey",
                        "was already used with different input"));
            }
            boolean stale = stored.createdAt.plus(config.inFlightTimeout()).isBefore(now);
            if (IdempotencyRecord.IN_FLIGHT.equals(stored.state) && !stale) {
                return Uni.createFrom().failure(conflict(stored.executionId.toString()));
            }
            return repository.find(s, stored.executionId).map(record -> {
                if (record == null) {
                    throw new GatewayException(ErrorCode.INTERNAL, "The execution of this key is missing");
                }
                if (record.status == ExecutionStatus.SUCCEEDED) {
                    JsonValue data = stored.responseData == null ? null : JsonSupport.parse(stored.responseData);
                    return Optional.of(Execution.of(record, data));
                }
                throw replayedFailure(record);
            });
        }));
    }

    private static GatewayException conflict(String executionId) {
        return new GatewayException(ErrorCode.IDEMPOTENCY_CONFLICT,
                "A request with this idempotency key is in flight",
                executionId == null ? Map.of() : Map.of("executionId", executionId));
    }

    private static GatewayException replayedFailure(ExecutionRecord record) {
        ErrorCode code;
        try {
            code = record.errorCode == null ? ErrorCode.UPSTREAM_UNAVAILABLE : ErrorCode.valueOf(record.errorCode);
        } catch (IllegalArgumentException e) {
            code = ErrorCode.UPSTREAM_ERROR;
        }
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("executionId", record.id.toString());
        extensions.put("status", record.status.name());
        extensions.put("replayed", true);
        extensions.put("retryable", false);
        if (record.errorSource != null) {
            extensions.put("source", record.errorSource);
        }
        if (record.upstreamStatus != null) {
            extensions.put("httpStatusCode", record.upstreamStatus);
        }
        String message = record.status == ExecutionStatus.UNKNOWN
                ? "The first request with this idempotency key got no answer; whether it ran is unknown"
                : "The first request with this idempotency key failed";
        return new GatewayException(code, message, extensions);
    }

    // ---- input ----

    private void checkShape(ExecuteActionInput input) {
        Ids.requireName(input.connectorId, "input/connectorId");
        Ids.requireName(input.actionId, "input/actionId");
        Ids.requireCredentialId(input.credentialId, "input/credentialId");
        if (input.idempotencyKey != null
                && (input.idempotencyKey.isEmpty() || input.idempotencyKey.length() > config.maxIdempotencyKeyLength())) {
            throw GatewayException.invalidInput("/input/idempotencyKey",
                    "must be 1 to " + config.maxIdempotencyKeyLength() + " characters");
        }
    }

    private static JsonObject upstreamBody(ExecuteActionInput input) {
        JsonObjectBuilder body = Json.createObjectBuilder().add("credentialId", input.credentialId);
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

    /** The third party's payload: {@code responseData}, else {@code result}, else the whole answer. */
    static JsonValue responseData(JsonValue body) {
        if (body instanceof JsonObject o) {
            if (o.containsKey("responseData")) {
                return o.get("responseData");
            }
            if (o.containsKey("result")) {
                return o.get("result");
            }
        }
        return body;
    }

    /** SHA-256 of the input in canonical JSON (object keys sorted), the idempotency key aside. */
    static String fingerprint(ExecuteActionInput input) {
        Map<String, JsonValue> fields = new TreeMap<>();
        fields.put("actionId", Json.createValue(input.actionId));
        fields.put("additionalHeaders", orNull(input.additionalHeaders));
        fields.put("connectorId", Json.createValue(input.connectorId));
        fields.put("credentialId", Json.createValue(input.credentialId));
        fields.put("pathParams", orNull(input.pathParams));
        fields.put("queryParameters", orNull(input.queryParameters));
        fields.put("requestBody", orNull(input.requestBody));
        StringBuilder canonical = new StringBuilder();
        canonical(Json.createObjectBuilder(new LinkedHashMap<String, Object>(fields)).build(), canonical);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonValue orNull(JsonValue value) {
        return value == null ? JsonValue.NULL : value;
    }

    private static void canonical(JsonValue value, StringBuilder out) {
        if (value instanceof JsonObject o) {
            out.append('{');
            boolean first = true;
            for (String key : new TreeMap<>(o).keySet()) {
                out.append(first ? "" : ",").append(Json.createValue(key)).append(':');
                canonical(o.get(key), out);
                first = false;
            }
            out.append('}');
        } else if (value instanceof JsonArray a) {
            out.append('[');
            for (int i = 0; i < a.size(); i++) {
                out.append(i == 0 ? "" : ",");
                canonical(a.get(i), out);
            }
            out.append(']');
        } else {
            out.append(value);
        }
    }

    private static ExecutionRecord newRecord(ProvisionedTenant me, ExecuteActionInput input, ExecutionStatus status) {
        ExecutionRecord record = new ExecutionRecord();
        record.id = UUID.randomUUID();
        record.tenantId = me.tenantId();
        record.connectorId = input.connectorId;
        record.actionId = input.actionId;
        record.credentialId = input.credentialId;
        record.status = status;
        record.idempotencyKey = input.idempotencyKey;
        // Microseconds: what PostgreSQL keeps, so cursors compare exactly.
        record.startedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return record;
    }

    private void count(ExecutionRecord record) {
        metrics.counter("gateway.executions", "connector", record.connectorId, "action", record.actionId,
                "outcome", record.status.name()).increment();
    }

    /** What came of the call. */
    record Outcome(ExecutionStatus status, Integer upstreamStatus, JsonValue responseData, GatewayException error,
            String errorSource, boolean keyReusable) {

        static Outcome succeeded(int status, JsonValue data) {
            return new Outcome(ExecutionStatus.SUCCEEDED, status, data, null, null, false);
        }

        static Outcome failed(Throwable failure, boolean readOnly) {
            if (failure instanceof AlloyHttpException e) {
                // Refused (4xx, 429) means nothing ran; a 5xx may have run part of a write.
                boolean safe = e.isRateLimited() || e.status() < 500 || readOnly;
                return new Outcome(ExecutionStatus.FAILED, e.effectiveStatus(), null,
                        UpstreamErrors.of(e).with("retryable", safe), e.source().name(), e.isRateLimited());
            }
            if (failure instanceof AlloyUnavailableException e) {
                boolean sent = e.requestMayHaveBeenSent();
                return new Outcome(sent ? ExecutionStatus.UNKNOWN : ExecutionStatus.FAILED, null, null,
                        UpstreamErrors.of(e).with("retryable", !sent || readOnly), null, !sent);
            }
            Log.errorf(failure, "Execution failed unexpectedly");
            return new Outcome(ExecutionStatus.UNKNOWN, null, null,
                    new GatewayException(ErrorCode.INTERNAL, "Internal error while executing the action",
                            Map.of("retryable", false)),
                    null, false);
        }
    }
}
