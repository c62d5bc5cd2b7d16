package com.alloygateway.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.alloygateway.alloy.AlloyAction;
import com.alloygateway.alloy.AlloyClient;
import com.alloygateway.alloy.AlloyConnector;
import com.alloygateway.alloy.AlloyCredentialMetadata;
import com.alloygateway.alloy.AlloyResource;
import com.alloygateway.graphql.AnswerCapture;
import com.alloygateway.graphql.GatewayException;
import com.alloygateway.validation.Ids;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Alloy's catalog, account-wide. Every answer is cached for the TTL of the {@value #CACHE} cache, and a load
 * in flight is shared by everyone who asks for the same key meanwhile, so concurrent requests cost one
 * upstream call. Failures are not cached.
 */
@ApplicationScoped
public class CatalogService {

    public static final String CACHE = "alloy-catalog";
    /** Loads of one batch in flight at once. */
    static final int BATCH_CONCURRENCY = 4;

    private final AlloyClient alloy;
    private final Cache cache;

    CatalogService(AlloyClient alloy, @CacheName(CACHE) Cache cache) {
        this.alloy = alloy;
        this.cache = cache;
    }

    private record Key(String kind, String connectorId, String actionId) {
    }

    public Uni<List<Connector>> connectors(String category, String group, String search) {
        if (isBlank(category) && isBlank(group) && isBlank(search)) {
            return allConnectors(); // the cached list itself (immutable): nothing to filter or copy
        }
        return allConnectors().map(all -> all.stream()
                .filter(c -> matchesAny(c.categories(), category))
                .filter(c -> matchesAny(c.groups(), group))
                .filter(c -> contains(c.id(), search) || contains(c.name(), search))
                .toList());
    }

    /** The connector, or null where Alloy does not list it. */
    public Uni<Connector> connector(String id) {
        Ids.requireName(id, "id");
        return allConnectors().map(all -> find(all, id).orElse(null));
    }

    /** The connector's resources; NOT_FOUND for a connector Alloy does not know. */
    public Uni<List<Resource>> resources(String connectorId) {
        Ids.requireName(connectorId, "connectorId");
        return requireConnector(connectorId).chain(() -> cachedResources(connectorId));
    }

    /** The action, or null where Alloy does not know the connector or the action. */
    public Uni<Action> action(String connectorId, String actionId) {
        Ids.requireName(connectorId, "connectorId");
        Ids.requireName(actionId, "id");
        return allConnectors().chain(all -> find(all, connectorId).isEmpty()
                ? Uni.createFrom().nullItem()
                : cachedAction(connectorId, actionId));
    }

    /**
     * The action if the cache holds it now, with its connector listed, loading nothing: for a path that takes a
     * shortcut when the catalog is warm and otherwise goes the long way ({@link #action}). Empty where either
     * is not cached (or still loading), and where Alloy does not know the action.
     */
    public Optional<Action> knownAction(String connectorId, String actionId) {
        List<Connector> all = this.<List<Connector>> peek(new Key("connectors", null, null));
        if (all == null || find(all, connectorId).isEmpty()) {
            return Optional.empty();
        }
        Optional<Action> action = this.<Optional<Action>> peek(new Key("action", connectorId, actionId));
        return action == null ? Optional.empty() : action;
    }

    /** How a credential for the connector can be made; NOT_FOUND for an unknown connector. */
    public Uni<List<CredentialRequirement>> credentialRequirements(String connectorId) {
        Ids.requireName(connectorId, "connectorId");
        return requireConnector(connectorId).chain(() -> cachedRequirements(connectorId));
    }

    /** {@link #connector(String)} for callers that need the connector to exist. */
    public Uni<Connector> requireConnector(String connectorId) {
        return allConnectors().map(all -> find(all, connectorId)
                .orElseThrow(() -> GatewayException.notFound("Connector")));
    }

    // ---- batches: one load per distinct key, answers in the parents' order ----

    public Uni<List<List<Resource>>> resourcesOf(List<Connector> connectors) {
        return batch(connectors, Connector::id, this::cachedResources);
    }

    public Uni<List<List<CredentialRequirement>>> requirementsOf(List<Connector> connectors) {
        return batch(connectors, Connector::id, this::cachedRequirements);
    }

    public Uni<List<Action>> detailsOf(List<ActionSummary> summaries) {
        return batch(summaries, s -> s.connectorId() + "\u0000" + s.id(),
                key -> {
                    int split = key.indexOf('\u0000');
                    return cachedAction(key.substring(0, split), key.substring(split + 1));
                });
    }

    /**
     * One load per distinct key, at most {@value #BATCH_CONCURRENCY} at a time (so one request's fan-out stays
     * within its tenant's share of concurrent upstream calls), answers in the parents' order.
     */
    private static <P, R> Uni<List<R>> batch(List<P> parents, Function<P, String> keyOf,
            Function<String, Uni<R>> load) {
        if (parents.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> keys = parents.stream().map(keyOf).distinct().toList();
        return Multi.createFrom().iterable(keys)
                .onItem().transformToUni(key -> load.apply(key).map(result -> Map.entry(key, Optional.ofNullable(result))))
                .merge(BATCH_CONCURRENCY)
                .collect().asMap(Map.Entry::getKey, Map.Entry::getValue)
                .map(byKey -> {
                    List<R> ordered = new ArrayList<>(parents.size());
                    for (P parent : parents) {
                        ordered.add(byKey.get(keyOf.apply(parent)).orElse(null));
                    }
                    return ordered;
                });
    }

    // ---- cached loads ----

    private Uni<List<Connector>> allConnectors() {
        return cached(new Key("connectors", null, null),
                () -> alloy.connectors().map(list -> list.stream().map(CatalogService::toConnector).toList()));
    }

    private Uni<List<Resource>> cachedResources(String connectorId) {
        return this.<List<Resource>> cached(new Key("resources", connectorId, null),
                () -> alloy.resources(connectorId)
                        .map(list -> list.stream().map(r -> toResource(connectorId, r)).toList()))
                .onFailure(AlloyClient::isNotFound).transform(e -> GatewayException.notFound("Connector"));
    }

    private Uni<Action> cachedAction(String connectorId, String actionId) {
        return this.<Optional<Action>> cached(new Key("action", connectorId, actionId),
                () -> alloy.action(connectorId, actionId).map(found -> found.map(a -> toAction(connectorId, a))))
                .map(found -> found.orElse(null));
    }

    private Uni<List<CredentialRequirement>> cachedRequirements(String connectorId) {
        return this.<List<CredentialRequirement>> cached(new Key("requirements", connectorId, null),
                () -> alloy.credentialMetadata(connectorId)
                        .map(list -> list.stream().map(CatalogService::toRequirement).toList()))
                .onFailure(AlloyClient::isNotFound).transform(e -> GatewayException.notFound("Connector"));
    }

    /** A cached answer and when its load began ({@link System#nanoTime()}): it expires no earlier than that + TTL. */
    private record Stamped<T>(long loadedAt, T value) {
    }

    /**
     * The cached value for {@code key}, loaded with {@code load} where missing. The request being answered (if its
     * answer is to be kept: {@link AnswerCapture}) learns when the value was loaded, so that what is built from it
     * does not outlive it. The capture is taken when the value is asked for: whichever request's load the value
     * then comes from, and on whatever thread, it is reported to the request that asked.
     */
    private <T> Uni<T> cached(Key key, Supplier<Uni<T>> load) {
        return Uni.createFrom().deferred(() -> {
            AnswerCapture capture = AnswerCapture.current();
            return cache.<Key, Stamped<T>> getAsync(key, k -> {
                long loadedAt = System.nanoTime();
                return load.get().map(value -> new Stamped<>(loadedAt, value));
            }).map(stamped -> {
                if (capture != null) {
                    capture.restsOn(stamped.loadedAt());
                }
                return stamped.value();
            });
        });
    }

    /** The value cached for {@code key} if its load is done, else null. */
    @SuppressWarnings("unchecked")
    private <T> T peek(Key key) {
        CompletableFuture<Object> entry = cache.as(CaffeineCache.class).getIfPresent(key);
        if (entry == null || !entry.isDone() || entry.isCompletedExceptionally()) {
            return null;
        }
        return ((Stamped<T>) entry.join()).value();
    }

    // ---- mapping ----

    private static Connector toConnector(AlloyConnector c) {
        return new Connector(c.id(), c.name(), c.icon(), c.groups(), c.categories());
    }

    private static Resource toResource(String connectorId, AlloyResource r) {
        return new Resource(r.name(), r.description(), r.actions().stream()
                .map(a -> new ActionSummary(a.id(), connectorId, a.name(), a.description()))
                .toList());
    }

    private static Action toAction(String connectorId, AlloyAction a) {
        return new Action(a.id(), connectorId, a.displayName(), a.description(), a.httpMethod(), a.path(),
                a.parameters(), a.requestBody(), a.sampleSuccessResponse());
    }

    private static CredentialRequirement toRequirement(AlloyCredentialMetadata m) {
        return new CredentialRequirement(m.authenticationType(), m.authConfigRequired(), m.inputSchema(),
                m.sampleInput(), m.dataSchema(), m.sampleData());
    }

    private static Optional<Connector> find(List<Connector> all, String id) {
        return all.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    private static boolean isBlank(String filter) {
        return filter == null || filter.isBlank();
    }

    private static boolean matchesAny(List<String> values, String wanted) {
        if (isBlank(wanted)) {
            return true;
        }
        return values.stream().anyMatch(v -> v.equalsIgnoreCase(wanted.trim()));
    }

    private static boolean contains(String value, String search) {
        if (isBlank(search)) {
            return true;
        }
        return value != null
                && value.toLowerCase(Locale.ROOT).contains(search.trim().toLowerCase(Locale.ROOT));
    }
}
