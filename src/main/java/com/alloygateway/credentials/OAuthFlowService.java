package com.alloygateway.credentials;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonString;

import org.eclipse.microprofile.config.ConfigProvider;

import com.alloygateway.alloy.JsonSupport;
import com.alloygateway.db.Database;
import com.alloygateway.graphql.ErrorCode;
import com.alloygateway.graphql.GatewayException;
import com.alloygateway.support.Jsonp;
import com.alloygateway.tenancy.CurrentTenant;
import com.alloygateway.tenancy.ProvisionedTenant;
import com.alloygateway.tenancy.TenancyService;

import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.mutiny.Multi;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * OAuth consents that end with the app holding its credential. Alloy's hosted consent ends by sending the
 * browser to the redirect URI it was given and tells nobody which credential it made; so Alloy is given the
 * gateway's own return address ({@code /oauth/return/{flowId}}), and when the browser arrives there the new
 * credential is found in the tenant's list (the one not there when the flow started), its ownership recorded,
 * and the browser sent on to the app's redirect URI with {@code flowId}, {@code status} and
 * {@code credentialId}. Flows live in the database, so any replica can finish any flow.
 */
@ApplicationScoped
public class OAuthFlowService {

    static final String RETURN_PATH = "/oauth/return/";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final OAuthFlowRepository repository;
    private final OwnedCredentials owned;
    private final TenancyService tenancy;
    private final CurrentTenant current;
    private final OAuthConfig config;
    private final Vertx vertx;

    OAuthFlowService(Database db, OAuthFlowRepository repository, OwnedCredentials owned, TenancyService tenancy,
            CurrentTenant current, OAuthConfig config, Vertx vertx) {
        this.vertx = vertx;
        this.db = db;
        this.repository = repository;
        this.owned = owned;
        this.tenancy = tenancy;
        this.current = current;
        this.config = config;
    }

    /** Records a new pending flow; {@code known} are the tenant's credentials for the connector now. */
    Uni<OAuthFlowRecord> start(ProvisionedTenant me, String connectorId, String authenticationType,
            String appRedirectUri, List<Credential> known) {
        OAuthFlowRecord flow = new OAuthFlowRecord();
        flow.id = newFlowId();
        flow.tenantId = me.tenantId();
        flow.connectorId = connectorId;
        flow.authenticationType = authenticationType;
        flow.redirectUri = appRedirectUri;
        JsonArrayBuilder ids = Jsonp.JSON.createArrayBuilder();
        known.forEach(c -> ids.add(c.id()));
        flow.knownCredentialIds = ids.build().toString();
        flow.status = OAuthFlowStatus.PENDING;
        flow.startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        flow.expiresAt = flow.startedAt.plus(config.flowTtl());
        return db.write(s -> repository.insert(s, flow)).replaceWith(flow);
    }

    /** Where Alloy sends the browser after consent: the gateway's public URL and the flow's return path. */
    String returnUrl(String flowId) {
        return returnBase() + RETURN_PATH + flowId;
    }

    /** Fails unless the gateway knows its public URL (GATEWAY_PUBLIC_URL), without which no consent can return. */
    void requireReturnAddress() {
        returnBase();
    }

    private String returnBase() {
        String base = config.publicUrl().filter(u -> !u.isBlank()).orElseGet(OAuthFlowService::localServer);
        if (base == null) {
            throw new GatewayException(ErrorCode.INTERNAL,
                    "OAuth is not configured on this gateway: GATEWAY_PUBLIC_URL is not set");
        }
        return base.replaceAll("/+$", "");
    }

    /** Ends a flow Alloy refused to start, or one that made its credential at once. */
    Uni<OAuthFlowRecord> finishNow(OAuthFlowRecord flow, OAuthFlowStatus status, Credential credential) {
        Instant now = Instant.now();
        return db.write(s -> repository.finish(s, flow.id, status, credential, now)).map(done -> {
            flow.status = status;
            flow.finishedAt = now;
            if (credential != null) {
                flow.credentialId = credential.id();
                flow.credentialName = credential.name();
                flow.credentialType = credential.type();
                flow.credentialCreatedAt = credential.createdAt();
                flow.credentialUpdatedAt = credential.updatedAt();
            }
            return flow;
        });
    }

    /** The caller's own flow, else null (another tenant's id reads as unknown). */
    public Uni<OAuthFlow> find(String id) {
        String tenantId = current.get().id();
        return mine(tenantId, id);
    }

    /**
     * The caller's flow now, then each change, ending after the first final state. An id that is not the
     * caller's (or a caller without an identity) gets a stream that ends at once, empty: SmallRye GraphQL drops
     * a failure inside a subscription's stream instead of sending it, so none is raised there.
     */
    public Multi<OAuthFlow> watch(String id) {
        // The stream's reads run on a Vert.x context of their own, as Hibernate Reactive wants.
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        Executor onContext = task -> context.runOnContext(ignored -> task.run());
        // Subscriptions run outside a request context: the tenant comes from the socket's identity.
        return current.deferred()
                .onFailure().recoverWithNull()
                .onItem().transformToMulti(tenant -> {
                    if (tenant == null) {
                        return Multi.createFrom().empty();
                    }
                    return Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(config.pollInterval())
                            .onOverflow().drop()
                            .emitOn(onContext)
                            .onItem().transformToUniAndConcatenate(tick -> mine(tenant.id(), id).map(Optional::ofNullable))
                            .skip().repetitions()
                            // A final state is followed by an empty marker, which ends the stream at once; so does
                            // an id that is unknown or not the caller's.
                            .onItem().transformToMultiAndConcatenate(found -> found.isPresent()
                                    && found.get().status().isFinal()
                                            ? Multi.createFrom().items(found, Optional.<OAuthFlow> empty())
                                            : Multi.createFrom().item(found))
                            .select().first(Optional::isPresent)
                            .map(Optional::get)
                            .onFailure().invoke(failure -> Log.warnf("OAuth flow subscription ended: %s", failure))
                            .onFailure().recoverWithCompletion();
                });
    }

    private Uni<OAuthFlow> mine(String tenantId, String id) {
        if (!plausibleId(id)) {
            return Uni.createFrom().nullItem();
        }
        return db.read(s -> repository.find(s, id))
                .map(flow -> flow == null || !flow.tenantId.equals(tenantId) ? null : OAuthFlow.of(flow, Instant.now()));
    }

    /** What the browser returning from consent is answered: a redirect to the app, or a page of its own. */
    public record Return(URI redirect, int status, String message) {
        static Return redirect(URI to) {
            return new Return(to, 303, null);
        }

        static Return page(int status, String message) {
            return new Return(null, status, message);
        }
    }

    /**
     * The browser is back from consent: find the new credential, record it, end the flow (once) and send the
     * browser on to the app. A flow answers once; an unknown or used one gets a page, not a redirect.
     */
    public Uni<Return> complete(String flowId) {
        if (!plausibleId(flowId)) {
            return Uni.createFrom().item(Return.page(404, "This sign-in link is unknown."));
        }
        return db.read(s -> repository.find(s, flowId)).chain(flow -> {
            if (flow == null) {
                return Uni.createFrom().item(Return.page(404, "This sign-in link is unknown."));
            }
            if (flow.status != OAuthFlowStatus.PENDING) {
                return Uni.createFrom().item(Return.page(410, "This sign-in link was already used."));
            }
            if (flow.statusAt(Instant.now()) == OAuthFlowStatus.EXPIRED) {
                return end(flow, OAuthFlowStatus.EXPIRED, null);
            }
            return tenancy.provisioned(flow.tenantId)
                    .chain(me -> owned.list(me, flow.connectorId))
                    .chain(listed -> {
                        Optional<Credential> fresh = newest(listed, knownIds(flow));
                        return end(flow, fresh.isPresent() ? OAuthFlowStatus.CONNECTED : OAuthFlowStatus.FAILED,
                                fresh.orElse(null));
                    })
                    .onFailure(f -> !(f instanceof GatewayException)).recoverWithItem(failure -> {
                        // Alloy could not be asked: the flow stays pending, and reloading the page tries again.
                        Log.warnf("OAuth flow %s: the tenant's credentials could not be listed (%s)", flowId,
                                failure.toString());
                        return Return.page(503, "The connection could not be checked just now. Reload this page to try again.");
                    });
        });
    }

    private Uni<Return> end(OAuthFlowRecord flow, OAuthFlowStatus status, Credential credential) {
        return db.write(s -> repository.finish(s, flow.id, status, credential, Instant.now())).map(done -> {
            if (done == 0) {
                return Return.page(410, "This sign-in link was already used.");
            }
            Map<String, String> params = new LinkedHashMap<>();
            params.put("flowId", flow.id);
            params.put("status", status.name());
            params.put("connectorId", flow.connectorId);
            if (credential != null) {
                params.put("credentialId", credential.id());
            }
            return Return.redirect(withQuery(flow.redirectUri, params));
        });
    }

    /** The credential not known when the flow started; the newest if there are several. */
    private static Optional<Credential> newest(List<Credential> listed, Set<String> known) {
        return listed.stream()
                .filter(c -> !known.contains(c.id()))
                .max(Comparator.comparing(c -> c.createdAt() == null ? "" : c.createdAt()));
    }

    private static Set<String> knownIds(OAuthFlowRecord flow) {
        Set<String> ids = new HashSet<>();
        if (JsonSupport.parse(flow.knownCredentialIds) instanceof JsonArray array) {
            array.getValuesAs(JsonString.class).forEach(v -> ids.add(v.getString()));
        }
        return ids;
    }

    static URI withQuery(String base, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(base);
        char sep = base.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return URI.create(sb.toString());
    }

    /** 256 random bits, URL-safe. */
    private static String newFlowId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean plausibleId(String id) {
        return id != null && id.length() == 43 && id.chars().allMatch(c -> Character.isLetterOrDigit(c)
                && c < 128 || c == '-' || c == '_');
    }

    /** Dev and test builds without GATEWAY_PUBLIC_URL: the local server itself. Prod: none. */
    private static String localServer() {
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            return null;
        }
        String port = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        return "http://localhost:" + ConfigProvider.getConfig().getValue(port, Integer.class);
    }
}
