package com.alloygateway.tenancy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.alloygateway.graphql.ErrorCode;
import com.alloygateway.graphql.GatewayException;

import io.quarkus.security.identity.SecurityIdentity;

/** The tenant of the current request, from the verified token only: no argument or header can name another. */
@ApplicationScoped
public class CurrentTenant {

    private final SecurityIdentity identity;
    private final TenancyConfig config;

    CurrentTenant(SecurityIdentity identity, TenancyConfig config) {
        this.identity = identity;
        this.config = config;
    }

    public Tenant get() {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            throw new GatewayException(ErrorCode.UNAUTHENTICATED, "Authentication is required");
        }
        String issuer = token.getIssuer();
        Object claim = token.getClaim(config.claim());
        String subject = claim instanceof JsonString s ? s.getString() : claim == null ? null : claim.toString();
        if (issuer == null || issuer.isBlank() || subject == null || subject.isBlank()) {
            throw new GatewayException(ErrorCode.UNAUTHENTICATED,
                    "The token has no '" + config.claim() + "' claim to name a tenant");
        }
        return new Tenant(issuer, subject);
    }
}
