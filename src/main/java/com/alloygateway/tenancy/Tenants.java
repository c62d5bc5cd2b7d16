package com.alloygateway.tenancy;

import java.util.Optional;

import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * How a verified token names a tenant, strictly: its issuer and the tenancy claim, which must be a non-empty
 * string (a boolean, number or array names no one: {@code true} must not become one tenant for every user),
 * and only from an access token (a {@code typ} claim, where present, must be {@code Bearer}).
 */
public final class Tenants {

    private Tenants() {
    }

    /** The token's tenant, or empty if the token cannot name one. */
    public static Optional<Tenant> of(JsonWebToken token, String claim) {
        String issuer = token.getIssuer();
        Object typ = token.getClaim("typ");
        if (typ != null && !"Bearer".equalsIgnoreCase(text(typ))) {
            return Optional.empty();
        }
        String subject = text(token.getClaim(claim));
        if (issuer == null || issuer.isBlank() || subject == null || subject.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new Tenant(issuer, subject));
    }

    private static String text(Object value) {
        if (value instanceof JsonString s) {
            return s.getString();
        }
        return value instanceof String s ? s : null;
    }
}
