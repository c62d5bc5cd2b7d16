package com.alloygateway.tenancy;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.alloygateway.graphql.ErrorCode;
import com.alloygateway.graphql.GatewayException;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** The tenant of the current request, from the verified token only: no argument or header can name another. */
@ApplicationScoped
public class CurrentTenant {

    private final SecurityIdentity identity;
    private final CurrentIdentityAssociation association;
    private final TenancyConfig config;

    CurrentTenant(SecurityIdentity identity, CurrentIdentityAssociation association, TenancyConfig config) {
        this.identity = identity;
        this.association = association;
        this.config = config;
    }

    public Tenant get() {
        return of(identity);
    }

    /**
     * The tenant of the identity the current request or WebSocket is associated with, resolved without a
     * request context (subscriptions run outside one).
     */
    public Uni<Tenant> deferred() {
        return association.getDeferredIdentity().map(this::of);
    }

    private Tenant of(SecurityIdentity identity) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            throw new GatewayException(ErrorCode.UNAUTHENTICATED, "Authentication is required");
        }
        return Tenants.of(token, config.claim()).orElseThrow(() -> new GatewayException(ErrorCode.UNAUTHENTICATED,
                "The token has no usable '" + config.claim() + "' claim to name a tenant"));
    }
}
