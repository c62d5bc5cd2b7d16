package com.alloygateway.graphql;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.alloygateway.testing.GraphQL;
import com.alloygateway.testing.Tokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Only a valid bearer token reaches a resolver; every error is coded and says nothing of the code behind it. */
@QuarkusTest
class SecurityTest {

    private static final String QUERY = "query { connectors { id } }";

    @Test
    void aValidTokenIsServed() {
        GraphQL.ok(Tokens.of("alice"), QUERY, Map.of()).body("data.connectors", notNullValue());
    }

    @Test
    void noTokenIs401() {
        given().contentType(ContentType.JSON).body(Map.of("query", QUERY))
                .when().post("/graphql").then().statusCode(401);
    }

    @Test
    void aGetWithoutTokenIs401Too() {
        given().queryParam("query", QUERY).when().get("/graphql").then().statusCode(401);
    }

    @Test
    void anExpiredTokenIs401() {
        String expired = Tokens.claims("alice")
                .issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600))
                .sign("privateKey.jwk");
        GraphQL.post(expired, QUERY).statusCode(401);
    }

    @Test
    void aTokenSignedByAnotherKeyIs401() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String forged = Tokens.claims("alice").sign(generator.generateKeyPair().getPrivate());
        GraphQL.post(forged, QUERY).statusCode(401);
    }

    @Test
    void anUnsignedTokenIs401() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        String header = b64.encodeToString("""
                {"alg":"none","typ":"JWT"}""".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString("""
                {"sub":"alice","iss":"%s","aud":"%s","iat":%s,"exp":%s}"""
                .formatted(Tokens.ISSUER, Tokens.AUDIENCE, now, now + 300).getBytes(StandardCharsets.UTF_8));
        GraphQL.post(header + "." + claims + ".", QUERY).statusCode(401);
    }

    @Test
    void aTokenOfAnotherIssuerIs401() {
        GraphQL.post(Tokens.claims("alice").issuer("https://evil.example.com").sign("privateKey.jwk"), QUERY)
                .statusCode(401);
    }

    @Test
    void aTokenForAnotherAudienceIs401() {
        GraphQL.post(Tokens.claims("alice").audience(Set.of("another-service")).sign("privateKey.jwk"), QUERY)
                .statusCode(401);
    }

    @Test
    void garbageIs401() {
        GraphQL.post("not-a-jwt", QUERY).statusCode(401);
    }

    @Test
    void aSyntaxErrorIsInvalidInput() {
        GraphQL.post(Tokens.of("alice"), "query { connectors { id ")
                .statusCode(200)
                .body("errors[0].extensions.code", equalTo("INVALID_INPUT"));
    }

    @Test
    void anUnparseableDocumentWithoutTokenIs401NotAParseError() {
        GraphQL.post(null, "query { connectors { id ").statusCode(401);
    }

    @Test
    void aBodyThatIsNotJsonIsInvalidInput() {
        given().auth().oauth2(Tokens.of("alice")).contentType(ContentType.JSON).body("{not json")
                .when().post("/graphql").then()
                .body("errors[0].extensions.code", equalTo("INVALID_INPUT"));
    }

    @Test
    void anUnknownFieldIsInvalidInput() {
        GraphQL.post(Tokens.of("alice"), "query { connectors { id secretField } }")
                .statusCode(200)
                .body("errors[0].extensions.code", equalTo("INVALID_INPUT"))
                .body(not(containsString("Exception")))
                .body(not(containsString("graphql.")));
    }

    @Test
    void aTooDeepQueryIsRefused() {
        GraphQL.post(Tokens.of("alice"), """
                query { __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } }
                """)
                .statusCode(200)
                .body("errors[0].extensions.code", equalTo("INVALID_INPUT"))
                .body("data", nullValue());
    }

    @Test
    void aHugeDocumentIsRefusedBeforeItIsParsed() {
        StringBuilder aliases = new StringBuilder("query {");
        for (int i = 0; i < 3000; i++) {
            aliases.append(" a").append(i).append(": __typename");
        }
        aliases.append(" }");
        GraphQL.post(Tokens.of("alice"), aliases.toString())
                .statusCode(200)
                .body("errors[0].extensions.code", equalTo("INVALID_INPUT"))
                .body("data", nullValue());
    }

    @Test
    void theSchemaIsPublished() {
        given().when().get("/graphql/schema.graphql").then().statusCode(200)
                .body(containsString("type Connector"));
    }
}
