package com.alloygateway.edge;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import com.alloygateway.support.Hashes;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.runtime.OidcIdentityProvider;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Bearer tokens this replica has verified, so that one token costs one verification (RS256 signature, issuer,
 * audience, expiry, type) in its lifetime rather than one per request. Asked before Quarkus OIDC's own
 * provider (a higher priority): a token seen before and not yet expired gets the identity OIDC built for it;
 * any other token goes to OIDC, and what OIDC accepts is remembered, what it refuses is not.
 * <p>
 * An entry is keyed by the SHA-256 of the exact token string, holds the identity of that token only (its
 * principal's raw token must be that string), and expires at the token's {@code exp}, never later: after it the
 * token goes to OIDC again, which refuses it. At most {@code gateway.verified-tokens.maximum-size} entries
 * (least used dropped first). Within its lifetime a token stays accepted here even if the issuer stops
 * publishing its key: as with any locally verified JWT, revocation is the issuer's short token lifetime.
 */
@ApplicationScoped
public class VerifiedTokens implements IdentityProvider<TokenAuthenticationRequest> {

    /** Before OIDC's provider (which has the default, {@code SYSTEM_FIRST + 1}). */
    static final int PRIORITY = 2000;

    private record Verified(SecurityIdentity identity, long expiresAtMillis) {
    }

    private final OidcIdentityProvider oidc;
    private final Cache<ByteBuffer, Verified> verified;
    /** Tokens handed to OIDC to verify (every one not remembered, accepted or not). */
    private final LongAdder verifications = new LongAdder();

    VerifiedTokens(OidcIdentityProvider oidc, MeterRegistry metrics,
            @ConfigProperty(name = "gateway.verified-tokens.maximum-size", defaultValue = "2000") long maximumSize) {
        this.oidc = oidc;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfter(new Expiry<ByteBuffer, Verified>() {
                    @Override
                    public long expireAfterCreate(ByteBuffer key, Verified value, long currentTime) {
                        return untilExpiry(value);
                    }

                    @Override
                    public long expireAfterUpdate(ByteBuffer key, Verified value, long currentTime,
                            long currentDuration) {
                        return untilExpiry(value);
                    }

                    @Override
                    public long expireAfterRead(ByteBuffer key, Verified value, long currentTime,
                            long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
        FunctionCounter.builder("gateway.tokens.verifications", verifications, LongAdder::sum)
                .description("Bearer tokens verified by OIDC (the others were verified before, within their lifetime)")
                .register(metrics);
    }

    private static long untilExpiry(Verified value) {
        return Math.max(0, TimeUnit.MILLISECONDS.toNanos(value.expiresAtMillis() - System.currentTimeMillis()));
    }

    /** How many tokens were handed to OIDC to verify so far (the metric {@code gateway.tokens.verifications}). */
    long verifications() {
        return verifications.sum();
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
        if (!(request.getToken() instanceof AccessTokenCredential) || routing == null) {
            return Uni.createFrom().nullItem(); // not a bearer token of an HTTP request: OIDC's provider, as before
        }
        String token = request.getToken().getToken();
        ByteBuffer key = ByteBuffer.wrap(Hashes.sha256(token));
        Verified known = verified.getIfPresent(key);
        if (known != null) {
            if (System.currentTimeMillis() < known.expiresAtMillis()) {
                return Uni.createFrom().item(forThisRequest(known.identity(), routing, context));
            }
            verified.invalidate(key);
        }
        verifications.increment();
        return oidc.authenticate(request, context).invoke(identity -> remember(key, token, identity));
    }

    private void remember(ByteBuffer key, String token, SecurityIdentity identity) {
        if (identity != null && !identity.isAnonymous()
                && identity.getPrincipal() instanceof JsonWebToken jwt
                && token.equals(jwt.getRawToken())
                && jwt.getExpirationTime() > 0) {
            verified.put(key, new Verified(withoutRequest(identity),
                    TimeUnit.SECONDS.toMillis(jwt.getExpirationTime())));
        }
    }

    /**
     * The identity without the request it was built for (OIDC keeps the routing context in it): a copy of its
     * principal, roles, credentials, permissions and other attributes. Quarkus OIDC adds no permission checker
     * of its own beyond its permissions (the token's scopes), which the copy checks alike.
     */
    private static SecurityIdentity withoutRequest(SecurityIdentity identity) {
        QuarkusSecurityIdentity.Builder copy = QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addRoles(identity.getRoles())
                .addCredentials(identity.getCredentials())
                .addPermissions(identity.getPermissions());
        identity.getAttributes().forEach((name, value) -> {
            if (!name.equals(RoutingContext.class.getName())
                    && !name.equals(AuthenticationRequestContext.class.getName())) {
                copy.addAttribute(name, value);
            }
        });
        return copy.build();
    }

    /** The remembered identity, with this request's routing and authentication contexts instead of the first's. */
    private static SecurityIdentity forThisRequest(SecurityIdentity identity, RoutingContext routing,
            AuthenticationRequestContext context) {
        return QuarkusSecurityIdentity.builder(identity)
                .addAttribute(RoutingContext.class.getName(), routing)
                .addAttribute(AuthenticationRequestContext.class.getName(), context)
                .build();
    }
}
