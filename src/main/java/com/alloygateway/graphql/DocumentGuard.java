package com.alloygateway.graphql;


import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.alloygateway.alloy.JsonSupport;

import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Answers a GraphQL POST whose document cannot be parsed (bad syntax, or more tokens than the parser limits
 * allow) with an {@code INVALID_INPUT} error. SmallRye GraphQL refuses such documents itself, before any
 * instrumentation runs and without an error code; this route runs first (after authentication, which
 * Quarkus applies as filters) and uses the same parser limits, so a client always gets a code.
 */
@ApplicationScoped
class DocumentGuard {

    /** A GraphQL request is a document and its variables: a megabyte is far more than any needs. */
    static final long MAX_BODY_BYTES = 1024 * 1024;

    private final ParserOptions options;

    DocumentGuard(@ConfigProperty(name = "quarkus.smallrye-graphql.parser-max-tokens") int maxTokens,
            @ConfigProperty(name = "quarkus.smallrye-graphql.parser-max-whitespace-tokens") int maxWhitespace) {
        this.options = ParserOptions.newParserOptions()
                .maxTokens(maxTokens)
                .maxWhitespaceTokens(maxWhitespace)
                .captureSourceLocation(false)
                .captureLineComments(false)
                .captureIgnoredChars(false)
                .build();
    }

    void install(@Observes Router router) {
        // Quarkus runs its security filters at order -priority (authentication -200, authorization -100)
        // and the body handler before them; the GraphQL route itself comes later.
        // The GraphQL route reads the body itself, later: read it here (Vert.x skips a second body handler).
        router.post("/graphql").order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String problem = problem(ctx.body() == null ? null : ctx.body().asString());
        if (problem == null) {
            ctx.next();
            return;
        }
        JsonObject error = Json.createObjectBuilder()
                .add("message", problem)
                .add("extensions", Json.createObjectBuilder().add("code", ErrorCode.INVALID_INPUT.name()))
                .build();
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/graphql-response+json; charset=UTF-8")
                .end(Json.createObjectBuilder().add("errors", Json.createArrayBuilder().add(error)).build()
                        .toString());
    }

    /** Why the request cannot be executed, or null to let SmallRye GraphQL have it. */
    String problem(String body) {
        if (body == null || body.isBlank()) {
            return "The request has no body: send {\"query\": \"...\"}";
        }
        JsonValue parsed;
        try {
            parsed = JsonSupport.parse(body);
        } catch (JsonException e) {
            return "The request body is not JSON";
        }
        if (!(parsed instanceof JsonObject request)) {
            return null;
        }
        if (!(request.get("query") instanceof JsonString query)) {
            return request.containsKey("extensions") ? null : "The request has no \"query\" string";
        }
        try {
            Parser.parse(ParserEnvironment.newParserEnvironment()
                    .document(query.getString())
                    .parserOptions(options)
                    .build());
            return null;
        } catch (InvalidSyntaxException e) {
            return "Invalid GraphQL document: " + e.getMessage();
        }
    }

}
