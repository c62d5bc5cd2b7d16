package com.alloygateway.testing;

import java.time.Instant;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Access tokens signed by the key of quarkus-test-oidc-server's {@code OidcWiremockTestResource}, whose
 * issuer and audience are {@code https://server.example.com}.
 */
public final class Tokens {

    public static final String ISSUER = "https://server.example.com";
    public static final String AUDIENCE = "https://server.example.com";

    private Tokens() {
    }

    /** A valid token for the subject. */
    public static String of(String subject) {
        return claims(subject).sign("privateKey.jwk");
    }

    public static JwtClaimsBuilder claims(String subject) {
        return Jwt.subject(subject)
                .preferredUserName(subject)
                .issuer(ISSUER)
                .audience(Set.of(AUDIENCE))
                .issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(300));
    }
}
