package com.alloygateway.alloy;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestResponse;

import com.alloygateway.alloy.AlloyUnavailableException.Reason;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The one door to Alloy. It sends the account headers (through {@link AlloyHeaders}) and
 * {@code x-alloy-userid} on user-scoped calls, bounds each exchange by a timeout, retries what may be
 * retried with full-jitter exponential backoff (honouring {@code Retry-After}) within the call's deadline,
 * guards everything with one circuit breaker, and turns error answers into {@link AlloyHttpException} and
 * missing answers into {@link AlloyUnavailableException}.
 */
@ApplicationScoped
public class AlloyClient {

    /** Name of the circuit breaker, for {@code CircuitBreakerMaintenance}. */
    public static final String BREAKER_NAME = "alloy";

    private final AlloyRestClient rest;
    private final AlloyConfig config;
    private final TypedGuard<Uni<RestResponse<String>>> breaker;
    private final MeterRegistry metrics;
    /** 0 closed, 1 half-open, 2 open: the gauge {@code alloy.client.breaker.state}. */
    private final AtomicInteger breakerState = new AtomicInteger();

    AlloyClient(@RestClient AlloyRestClient rest, AlloyConfig config, MeterRegistry metrics) {
        this.rest = rest;
        this.config = config;
        this.metrics = metrics;
        Gauge.builder("alloy.client.breaker.state", breakerState, AtomicInteger::get)
                .description("Alloy circuit breaker: 0 closed, 1 half-open, 2 open")
                .register(metrics);
        AlloyConfig.Breaker b = config.breaker();
        this.breaker = TypedGuard.create(new TypeLiteral<Uni<RestResponse<String>>>() {
        })
                .withCircuitBreaker()
                .name(BREAKER_NAME)
                .requestVolumeThreshold(b.requestVolumeThreshold())
                .failureRatio(b.failureRatio())
                .delay(b.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(b.successThreshold())
                // Only signs of an unhealthy Alloy count; 4xx (429 included) are answers, not outages.
                .when(AlloyClient::countsAgainstBreaker)
                .onStateChange(state -> {
                    breakerState.set(switch (state) {
                        case CLOSED -> 0;
                        case HALF_OPEN -> 1;
                        case OPEN -> 2;
                    });
                    Log.infof("Alloy circuit breaker is now %s", state);
                })
                .done()
                .build();
    }

    /** A successful answer of Alloy: its status and body. */
    public record Reply(int status, JsonValue body) {
        public JsonObject object() {
            return body instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
        }
    }

    /** Counts the attempts of one call, so a failure can still report them. */
    public static final class Attempts {
        private final AtomicInteger count = new AtomicInteger();

        public int count() {
            return count.get();
        }

        int increment() {
            return count.incrementAndGet();
        }
    }

    /** Reads are retried on 429, any 5xx, and failures to connect, time out or read. */
    public static boolean retryableRead(Throwable failure) {
        if (failure instanceof AlloyHttpException e) {
            return e.isRateLimited() || e.isServerError();
        }
        if (failure instanceof AlloyUnavailableException e) {
            return e.reason() == Reason.CONNECT_FAILED || e.reason() == Reason.TIMEOUT
                    || e.reason() == Reason.IO_ERROR;
        }
        return false;
    }

    /**
     * Writes are retried only where they cannot have run twice: on 429 (Alloy refused before doing anything)
     * and when the connection failed before anything was sent.
     */
    public static boolean retryableWrite(Throwable failure) {
        if (failure instanceof AlloyHttpException e) {
            return e.isRateLimited();
        }
        return failure instanceof AlloyUnavailableException e && e.reason() == Reason.CONNECT_FAILED;
    }

    // ---- catalog (account-wide: never sends x-alloy-userid) ----

    public Uni<List<AlloyConnector>> connectors() {
        return read("GET /connectors", rest::connectors)
                .map(reply -> list(reply.body(), "connectors", AlloyConnector::from));
    }

    /** The connector's resources; an unknown connector fails with a 404 {@link AlloyHttpException}. */
    public Uni<List<AlloyResource>> resources(String connectorId) {
        return read("GET /connectors/{c}/resources", () -> rest.resources(connectorId))
                .map(reply -> list(reply.body(), "resources", AlloyResource::from));
    }

    /** The action's details, or empty where Alloy does not know the connector or the action. */
    public Uni<Optional<AlloyAction>> action(String connectorId, String actionId) {
        return read("GET /connectors/{c}/actions/{a}", () -> rest.action(connectorId, actionId))
                .map(reply -> Optional.of(AlloyAction.from(reply.object(), actionId)))
                .onFailure(AlloyClient::isNotFound).recoverWithItem(Optional.empty());
    }

    /** What a credential for the connector needs; an unknown connector fails with a 404. */
    public Uni<List<AlloyCredentialMetadata>> credentialMetadata(String connectorId) {
        return read("GET /connectors/{c}/credentials/metadata", () -> rest.credentialMetadata(connectorId))
                .map(reply -> list(reply.body(), "metadata", AlloyCredentialMetadata::from));
    }

    public static boolean isNotFound(Throwable t) {
        return t instanceof AlloyHttpException e && e.status() == 404;
    }

    public static boolean isConflict(Throwable t) {
        return t instanceof AlloyHttpException e && e.status() == 409;
    }

    // ---- users ----

    /** The id of the user with this username (or id), or empty where Alloy has none. */
    public Uni<Optional<String>> findUserId(String usernameOrId) {
        return read("GET /users/{u}", () -> rest.user(usernameOrId))
                .map(reply -> Optional.ofNullable(JsonSupport.string(reply.object(), "userId")))
                .onFailure(AlloyClient::isNotFound).recoverWithItem(Optional.empty());
    }

    /** Creates a user; a taken username fails with a 409 {@link AlloyHttpException}. */
    public Uni<String> createUser(String username, String fullName) {
        JsonObjectBuilder body = Json.createObjectBuilder().add("username", username);
        if (fullName != null) {
            body.add("fullName", fullName);
        }
        String json = body.build().toString();
        return call("POST /users", () -> rest.createUser(json), AlloyClient::retryableWrite, new Attempts())
                .map(reply -> {
                    String userId = JsonSupport.string(reply.object(), "userId");
                    if (userId == null) {
                        throw new AlloyUnavailableException(Reason.MALFORMED_RESPONSE, "answer has no userId");
                    }
                    return userId;
                });
    }

    // ---- credentials (user-scoped: always with x-alloy-userid) ----

    /** The user's credentials for one connector. */
    public Uni<List<AlloyCredential>> credentials(String connectorId, String userId) {
        requireUser(userId);
        return read("GET /connectors/{c}/credentials", () -> rest.credentials(connectorId, userId))
                .map(reply -> list(reply.body(), "credentials", AlloyCredential::from));
    }

    /** The user's credentials for every connector. */
    public Uni<List<AlloyCredential>> userCredentials(String userId) {
        requireUser(userId);
        return read("GET /users/{u}/credentials", () -> rest.userCredentials(userId, userId))
                .map(reply -> list(reply.body(), "credentials", AlloyCredential::from));
    }

    /** Starts a credential: {@code {oauthUrl}} for OAuth, {@code {credentialId}} for other types. */
    public Uni<JsonObject> createCredential(String connectorId, String userId, JsonObject body) {
        requireUser(userId);
        String json = body.toString();
        return call("POST /connectors/{c}/credentials", () -> rest.createCredential(connectorId, userId, json),
                AlloyClient::retryableWrite,
                new Attempts())
                .map(Reply::object);
    }

    /** Deletes the user's credential. Deleting is idempotent, so it is retried like a read. */
    public Uni<Void> deleteCredential(String connectorId, String credentialId, String userId) {
        requireUser(userId);
        return read("DELETE /connectors/{c}/credentials/{id}",
                () -> rest.deleteCredential(connectorId, credentialId, userId)).replaceWithVoid();
    }

    // ---- execute ----

    /**
     * Runs an action for the user. {@code idempotentAction} (the action's method is GET) allows the retries of
     * a read; any other action is retried only where it cannot have run (429, connection refused).
     */
    public Uni<Reply> execute(String connectorId, String actionId, String userId, JsonObject body,
            boolean idempotentAction, Attempts attempts) {
        requireUser(userId);
        String json = body.toString();
        return call("POST /connectors/{c}/actions/{a}/execute", () -> rest.execute(connectorId, actionId, userId, json),
                idempotentAction ? AlloyClient::retryableRead : AlloyClient::retryableWrite, attempts);
    }

    private static void requireUser(String userId) {
        // Without x-alloy-userid Alloy acts as the account owner: never let that happen by accident.
        if (userId == null || userId.isBlank()) {
            throw new IllegalStateException("user-scoped Alloy call without a user id");
        }
    }

    // ---- the call machinery ----

    Uni<Reply> read(String endpoint, Supplier<Uni<RestResponse<String>>> send) {
        return call(endpoint, send, AlloyClient::retryableRead, new Attempts());
    }

    /**
     * One logical call: attempts until success, a failure {@code retryable} refuses, the retry budget, or
     * the deadline. Continues on the caller's Vert.x context, whatever thread the last attempt ended on.
     */
    Uni<Reply> call(String endpoint, Supplier<Uni<RestResponse<String>>> send, Predicate<Throwable> retryable,
            Attempts attempts) {
        Context callerContext = Vertx.currentContext();
        long deadline = System.nanoTime() + config.requestDeadline().toNanos();
        Uni<Reply> calls = Uni.createFrom().deferred(() -> {
            attempts.increment();
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return Uni.createFrom().<RestResponse<String>> failure(
                        new AlloyUnavailableException(Reason.TIMEOUT, "request deadline exhausted"));
            }
            Duration timeout = Duration.ofNanos(Math.min(config.attemptTimeout().toNanos(), remaining));
            return attempt(endpoint, send, timeout);
        })
                .onFailure().retry().when(failures -> failures.onItem().transformToUniAndConcatenate(failure -> {
                    Optional<Duration> wait = nextWait(failure, attempts.count(), deadline, retryable);
                    if (wait.isEmpty()) {
                        return Uni.createFrom().failure(failure);
                    }
                    Log.debugf("Alloy %s failed (status %s); retry %d in %d ms", endpoint, describe(failure),
                            attempts.count(), wait.get().toMillis());
                    metrics.counter("alloy.client.retries", "endpoint", endpoint, "cause", describe(failure))
                            .increment();
                    return wait.get().isZero()
                            ? Uni.createFrom().item(failure)
                            : Uni.createFrom().item(failure).onItem().delayIt().by(wait.get());
                }))
                .map(response -> new Reply(response.getStatus(), parseSuccess(response)));
        return callerContext == null ? calls : calls.emitOn(onContext(callerContext));
    }

    private Uni<RestResponse<String>> attempt(String endpoint, Supplier<Uni<RestResponse<String>>> send,
            Duration timeout) {
        long start = System.nanoTime();
        return Uni.createFrom().deferred(() -> breaker.get(() -> Uni.createFrom().deferred(send::get)
                .ifNoItem().after(timeout)
                .failWith(() -> new AlloyUnavailableException(Reason.TIMEOUT,
                        "no answer within " + timeout.toMillis() + " ms"))
                .onFailure(t -> !(t instanceof AlloyUnavailableException)).transform(AlloyClient::transportFailure)
                .map(AlloyClient::raiseForStatus)))
                .onFailure(CircuitBreakerOpenException.class)
                .transform(open -> new AlloyUnavailableException(Reason.BREAKER_OPEN, "circuit breaker open"))
                .onItemOrFailure().invoke((response, failure) -> latency(endpoint,
                        response != null ? String.valueOf(response.getStatus()) : describe(failure))
                        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
    }

    private Optional<Duration> nextWait(Throwable failure, int attemptsSoFar, long deadline,
            Predicate<Throwable> retryable) {
        if (!retryable.test(failure) || attemptsSoFar > config.retry().maxRetries()) {
            return Optional.empty();
        }
        Duration wait = failure instanceof AlloyHttpException e && e.retryAfter().isPresent()
                ? e.retryAfter().get()
                : Backoff.fullJitter(attemptsSoFar, config.retry().baseDelay(), config.retry().maxDelay());
        if (System.nanoTime() + wait.toNanos() >= deadline) {
            return Optional.empty();
        }
        return Optional.of(wait);
    }

    private static boolean countsAgainstBreaker(Throwable t) {
        if (t instanceof AlloyHttpException e) {
            return e.isServerError();
        }
        return t instanceof AlloyUnavailableException;
    }

    private static RestResponse<String> raiseForStatus(RestResponse<String> response) {
        int status = response.getStatus();
        if (status < 400) {
            return response;
        }
        Optional<Duration> retryAfter = Backoff.parseRetryAfter(response.getHeaderString("Retry-After"),
                Instant.now());
        throw AlloyErrors.fromResponse(status, errorBody(response), retryAfter.orElse(null));
    }

    /** With the default exception mapper off, an error answer's entity is left unread: read it as text. */
    private static String errorBody(RestResponse<String> response) {
        try {
            Object entity = response.getEntity();
            if (entity instanceof String text) {
                return text;
            }
            if (entity instanceof java.io.InputStream stream) {
                try (stream) {
                    return new String(stream.readNBytes(64 * 1024), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
            return null;
        } catch (RuntimeException | java.io.IOException unreadable) {
            return null;
        }
    }

    private static JsonValue parseSuccess(RestResponse<String> response) {
        String body = response.getEntity();
        if (body == null || body.isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try {
            return JsonSupport.parse(body);
        } catch (JsonException e) {
            throw new AlloyUnavailableException(Reason.MALFORMED_RESPONSE, "answer is not JSON");
        }
    }

    static AlloyUnavailableException transportFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AlloyUnavailableException e) {
                return e;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return new AlloyUnavailableException(Reason.CONNECT_FAILED, "cannot connect");
            }
            if (t instanceof java.util.concurrent.TimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return new AlloyUnavailableException(Reason.TIMEOUT, "timed out");
            }
            if (t instanceof AlloyHttpException) {
                // raiseForStatus runs after this mapping; nothing to translate.
                break;
            }
        }
        Log.debugf(failure, "Alloy exchange failed");
        return new AlloyUnavailableException(Reason.IO_ERROR, "exchange failed");
    }

    /** Reads a list from {@code {key:[…]}}, {@code {data:[…]}} or a bare array; entries that fail to map are skipped. */
    static <T> List<T> list(JsonValue body, String key, Function<JsonObject, T> mapper) {
        JsonArray array = null;
        if (body instanceof JsonArray a) {
            array = a;
        } else if (body instanceof JsonObject o) {
            array = JsonSupport.array(o, key);
            if (array == null) {
                array = JsonSupport.array(o, "data");
            }
        }
        if (array == null) {
            throw new AlloyUnavailableException(Reason.MALFORMED_RESPONSE, "answer has no '" + key + "' list");
        }
        List<T> out = new ArrayList<>(array.size());
        for (JsonObject item : JsonSupport.objects(array)) {
            T mapped = mapper.apply(item);
            if (mapped != null) {
                out.add(mapped);
            }
        }
        return List.copyOf(out);
    }

    /** Latency of one exchange with Alloy, by endpoint and answer (HTTP status, or why there was none). */
    private Timer latency(String endpoint, String status) {
        return Timer.builder("alloy.client.requests")
                .description("Exchanges with Alloy's Connectivity API")
                .tags("endpoint", endpoint, "status", status)
                .publishPercentileHistogram()
                .register(metrics);
    }

    /** The status tag of a failed exchange: Alloy's HTTP status, or why no answer came. */
    private static String describe(Throwable failure) {
        if (failure instanceof AlloyHttpException e) {
            return String.valueOf(e.status());
        }
        if (failure instanceof AlloyUnavailableException e) {
            return e.reason().name();
        }
        return failure.getClass().getSimpleName();
    }

    private static Executor onContext(Context context) {
        return task -> context.runOnContext(ignored -> task.run());
    }
}
