package com.alloygateway.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Posts GraphQL documents the way a frontend does: JSON body, bearer token, variables. */
public final class GraphQL {

    private GraphQL() {
    }

    public static ValidatableResponse post(String token, String query) {
        return post(token, query, Map.of());
    }

    public static ValidatableResponse post(String token, String query, Map<String, Object> variables) {
        var request = given().contentType(ContentType.JSON)
                .body(Map.of("query", query, "variables", variables));
        if (token != null) {
            request.auth().oauth2(token);
        }
        return request.when().post("/graphql").then();
    }

    /** Posts and expects HTTP 200 with no {@code errors}. */
    public static ValidatableResponse ok(String token, String query, Map<String, Object> variables) {
        return post(token, query, variables)
                .statusCode(200)
                .body("errors", nullValue());
    }
}
