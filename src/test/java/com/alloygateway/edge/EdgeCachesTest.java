package com.alloygateway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

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
 * What the edge remembers to keep a request's cost down, and that remembering changes no answer: a document
 * that passed the limits is not parsed again by the edge (whatever its variables), a refused one is checked
 * every time.
 */
@QuarkusTest
class EdgeCachesTest {

    @Inject
    DocumentGuard guard;

    private static String token(String subject) {
        return Tokens.claims(subject).claim("jti", UUID.randomUUID().toString()).sign("privateKey.jwk");
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
