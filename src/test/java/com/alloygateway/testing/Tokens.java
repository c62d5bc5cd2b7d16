package com.alloygateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

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

    /**
     * A token signed like {@link #of} whose claims are exactly {@code claims} (plus issuer, audience and a
     * five-minute lifetime): for claims the token builder refuses to write, such as a {@code sub} that is not a
     * string.
     */
    public static String raw(Map<String, Object> claims) {
        try (InputStream in = Tokens.class.getClassLoader().getResourceAsStream("privateKey.jwk")) {
            RsaJsonWebKey key = (RsaJsonWebKey) JsonWebKey.Factory.newJwk(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
            JwtClaims jwt = new JwtClaims();
            jwt.setIssuer(ISSUER);
            jwt.setAudience(AUDIENCE);
            jwt.setIssuedAtToNow();
            jwt.setExpirationTimeMinutesInTheFuture(5);
            claims.forEach(jwt::setClaim);
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(jwt.toJson());
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            return jws.getCompactSerialization();
        } catch (IOException | JoseException e) {
            throw new IllegalStateException("cannot sign a test token", e);
        }
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
