package com.alloygateway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.alloygateway.testing.GraphQL;
import com.alloygateway.testing.Tokens;

import io.quarkus.test.junit.QuarkusTest;

/**
 * What the edge remembers to keep a request's cost down, and that remembering changes no answer: a bearer token
 * is verified once in its lifetime (and still refused after its {@code exp}, or tampered with), a document
 * that passed the limits is not parsed again by the edge (whatever its variables), a refused one is checked
 * every time.
 */
@QuarkusTest
class EdgeCachesTest {

    private static final String QUERY = "{ __typename }";

    @Inject
    VerifiedTokens tokens;

    @Inject
    DocumentGuard guard;

    private static String token(String subject) {
        return Tokens.claims(subject).claim("jti", UUID.randomUUID().toString()).sign("privateKey.jwk");
    }

    @Test
    void aTokenIsVerifiedOnceWithinItsLifetime() {
        String token = token("verified-once-" + UUID.randomUUID());
        long before = tokens.verifications();
        for (int i = 0; i < 5; i++) {
            GraphQL.ok(token, QUERY, Map.of());
        }
        assertThat(tokens.verifications() - before).as("verifications of one token, five requests").isEqualTo(1);
    }

    @Test
    void eachTokenGetsItsOwnIdentity() {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        String aliceToken = token(alice);
        String bobToken = token(bob);
        for (int i = 0; i < 3; i++) {
            GraphQL.ok(aliceToken, "{ me { subject } }", Map.of()).body("data.me.subject", equalTo(alice));
            GraphQL.ok(bobToken, "{ me { subject } }", Map.of()).body("data.me.subject", equalTo(bob));
        }
    }

    @Test
    void aVerifiedTokenIsRefusedAfterItsExpiry() throws InterruptedException {
        Instant exp = Instant.now().plusSeconds(3);
        String token = Tokens.claims("expiring-" + UUID.randomUUID()).expiresAt(exp).sign("privateKey.jwk");
        GraphQL.ok(token, QUERY, Map.of());
        long before = tokens.verifications();
        GraphQL.ok(token, QUERY, Map.of());
        assertThat(tokens.verifications()).as("the second request is answered from the cache").isEqualTo(before);

        Thread.sleep(Duration.between(Instant.now(), exp).toMillis() + 1_500);
        GraphQL.post(token, QUERY).statusCode(401);
        GraphQL.post(token, QUERY).statusCode(401);
        assertThat(tokens.verifications() - before).as("after exp the token goes to OIDC, which refuses it")
                .isEqualTo(2);
    }

    @Test
    void aTamperedTokenIsRefusedThoughTheOriginalWasVerified() {
        String token = token("tampered-" + UUID.randomUUID());
        GraphQL.ok(token, QUERY, Map.of());
        String[] parts = token.split("\\.");
        // Another subject's claims under this token's signature.
        String otherClaims = token("someone-else-" + UUID.randomUUID()).split("\\.")[1];
        GraphQL.post(parts[0] + "." + otherClaims + "." + parts[2], QUERY).statusCode(401);
        // The signature changed in one character.
        char c = parts[2].charAt(20);
        String signature = parts[2].substring(0, 20) + (c == 'A' ? 'B' : 'A') + parts[2].substring(21);
        GraphQL.post(parts[0] + "." + parts[1] + "." + signature, QUERY).statusCode(401);
        // Anything appended.
        GraphQL.post(token + "x", QUERY).statusCode(401);
        // The original still passes.
        GraphQL.ok(token, QUERY, Map.of());
    }

    @Test
    void aDocumentThatPassedIsNotParsedAgainWhateverItsVariables() {
        String token = token("documents-" + UUID.randomUUID());
        String document = "query($id: ID!) { connector(id: $id) { id } } # " + UUID.randomUUID();
        long before = guard.parses();
        GraphQL.ok(token, document, Map.of("id", "hubspot")).body("data.connector.id", equalTo("hubspot"));
        GraphQL.ok(token, document, Map.of("id", "no-such-connector")).body("data.connector", nullValue());
        GraphQL.ok(token, document, Map.of("id", "hubspot")).body("data.connector.id", equalTo("hubspot"));
        assertThat(guard.parses() - before).isEqualTo(1);
    }

    @Test
    void aRefusedDocumentIsCheckedAndRefusedEveryTime() {
        String token = token("refused-" + UUID.randomUUID());
        String document = "{ " + IntStream.range(0, 16).mapToObj("a%d: __typename"::formatted)
                .collect(Collectors.joining(" ")) + " } # " + UUID.randomUUID();
        long before = guard.parses();
        for (int i = 0; i < 3; i++) {
            GraphQL.post(token, document).statusCode(200)
                    .body("errors[0].extensions.reason", equalTo("TOO_MANY_ALIASES"));
        }
        assertThat(guard.parses() - before).isEqualTo(3);
    }
}
