package com.alloygateway.edge;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.alloygateway.alloy.JsonSupport;
import com.alloygateway.alloy.UpstreamLimits;
import com.alloygateway.edge.DocumentLimits.Refusal;
import com.alloygateway.graphql.AnswerCapture;
import com.alloygateway.graphql.ErrorCode;
import com.alloygateway.graphql.RequestErrors;
import com.alloygateway.support.Hashes;
import com.alloygateway.support.Jsonp;
import com.alloygateway.tenancy.Tenant;
import com.alloygateway.tenancy.TenancyConfig;
import com.alloygateway.tenancy.Tenants;

import com.github.benmanes.caffeine.cache.Caffeine;

import graphql.language.Document;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import graphql.parser.exceptions.ParseCancelledException;
import graphql.parser.exceptions.ParseCancelledTooDeepException;
import graphql.parser.exceptions.ParseCancelledTooManyCharsException;
import io.opentelemetry.api.trace.Span;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The public edge of {@code POST /graphql}, after authentication and before SmallRye GraphQL: only JSON bodies
 * (415 otherwise), one operation per request (no batches, no hash-only persisted queries), documents within
 * the limits of {@link LimitsConfig} (size, tokens, aliases, repeats, directives, depth, introspection,
 * estimated upstream calls), a tenancy claim that names a tenant (401 otherwise), and the tenant's request
 * rate (429). Whatever is refused here runs no resolver and reaches no upstream. With
 * {@code Accept: application/graphql-response+json} a refused document is HTTP 400 (graphql-over-http);
 * with {@code application/json} it is 200 with {@code errors}.
 * <p>
 * What a document is allowed depends on the document alone (never on its variables or its caller), so the
 * SHA-256 digests of documents that passed are remembered ({@value #KNOWN_GOOD_DOCUMENTS} at most, least
 * used dropped first): a document seen before is not parsed here again, and SmallRye GraphQL keeps its own
 * parsed and validated copy. Only digests are kept: no document text, no variables, nothing of a tenant.
 * <p>
 * A request for catalog data only, after all of the above, may be answered with the answer kept from the same
 * request before ({@link CatalogAnswers}); any other request goes on to SmallRye GraphQL.
 */
@ApplicationScoped
class DocumentGuard {

    /** A GraphQL request is a document and its variables: a megabyte is far more than any needs. */
    static final long MAX_BODY_BYTES = 1024 * 1024;
    static final String GRAPHQL_RESPONSE_JSON = "application/graphql-response+json";
    static final String LIMITS_CACHE = "tenant-limits";
    /** Digests of documents known to pass every limit, at most. */
    static final int KNOWN_GOOD_DOCUMENTS = 10_000;
    /** Refusals of a body that is no GraphQL request at all (HTTP 400 whatever the client accepts). */
    private static final Set<String> NOT_A_REQUEST = Set.of("NO_BODY", "NOT_JSON",
            "NOT_AN_OBJECT", "BATCH_NOT_SUPPORTED");

    private final LimitsConfig limits;
    private final DocumentLimits documentLimits;
    private final TenancyConfig tenancy;
    private final Cache tenants;
    private final ParserOptions options;
    private final CatalogAnswers answers;
    /** Digests of documents that passed, each with whether it is catalog-only ({@link DocumentLimits#catalogOnly}). */
    private final Map<ByteBuffer, Boolean> knownGood = Caffeine.newBuilder()
            .maximumSize(KNOWN_GOOD_DOCUMENTS).<ByteBuffer, Boolean> build().asMap();
    /** Documents parsed here: once per distinct document that passes. */
    private final LongAdder parses = new LongAdder();

    DocumentGuard(LimitsConfig limits, TenancyConfig tenancy, @CacheName(LIMITS_CACHE) Cache tenants,
            CatalogAnswers answers) {
        this.limits = limits;
        this.answers = answers;
        this.documentLimits = new DocumentLimits(limits);
        this.tenancy = tenancy;
        this.tenants = tenants;
        this.options = ParserOptions.newParserOptions()
                .maxTokens(limits.maxTokens())
                .maxCharacters(limits.maxCharacters())
                .captureSourceLocation(false)
                .captureLineComments(false)
                .captureIgnoredChars(false)
                .build();
    }

    /** How many documents were parsed here so far. */
    long parses() {
        return parses.sum();
    }

    void install(@Observes Router router) {
        // Quarkus runs its security filters before this order and the GraphQL route after it. The GraphQL
        // route reads the body itself, later: read it here (Vert.x skips a second body handler).
        router.post("/graphql").order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String media = mediaType(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE));
        if (!media.equals("application/json") && !media.equals("application/graphql+json")) {
            answer(ctx, 415, ErrorCode.INVALID_INPUT.name(), "Send the request as application/json",
                    Map.of("reason", "UNSUPPORTED_MEDIA_TYPE"));
            return;
        }
        // The tenant and its rate first: a request over the rate costs no parsing at all.
        Tenant tenant = tenant(ctx);
        if (tenant == null) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\", "
                    + "error_description=\"the token does not name a tenant\"");
            answer(ctx, 401, ErrorCode.UNAUTHENTICATED.name(), "The token does not name a tenant", Map.of());
            return;
        }
        tenants.<String, TenantLimits> get(tenant.id(), id -> new TenantLimits(limits))
                .subscribe().with(share -> admit(ctx, media, share), ctx::fail);
    }

    private void admit(RoutingContext ctx, String media, TenantLimits share) {
        long wait = share.take();
        if (wait > 0) {
            ctx.response().putHeader("Retry-After", String.valueOf(wait));
            answer(ctx, 429, ErrorCode.RATE_LIMITED.name(), "Too many requests from this tenant",
                    Map.of("retryAfterSeconds", wait));
            return;
        }
        String body = ctx.body() == null ? null : ctx.body().asString();
        Verdict verdict = judge(body);
        Refusal refusal = verdict.refusal();
        if (refusal != null) {
            String code = refusal.reason().equals(ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED.name()) ? refusal.reason()
                    : ErrorCode.INVALID_INPUT.name();
            // A body that is not a GraphQL request at all is a 400 for everyone; a document refused is a GraphQL
            // request error: 400 for graphql-response+json clients, 200 with errors for application/json ones.
            boolean notARequest = NOT_A_REQUEST.contains(refusal.reason());
            answer(ctx, notARequest || accepts(ctx, GRAPHQL_RESPONSE_JSON) ? 400 : 200, code, refusal.message(),
                    Map.of("reason", refusal.reason()));
            return;
        }
        Context context = Vertx.currentContext();
        if (verdict.catalogOnly() && answers.enabled() && answeredFromKept(ctx, context, body, verdict.document())) {
            return;
        }
        UpstreamLimits.attach(context, limits.upstreamCallsPerRequest(), share.upstreamCalls);
        boolean graphqlResponseJson = accepts(ctx, GRAPHQL_RESPONSE_JSON);
        ctx.addHeadersEndHandler(ignored -> {
            if (graphqlResponseJson) {
                // SmallRye GraphQL answers 200 to a document that does not validate; the spec says 400.
                if (RequestErrors.marked(context) && ctx.response().getStatusCode() == 200) {
                    ctx.response().setStatusCode(400);
                }
            } else {
                // A client that did not ask for graphql-response+json (or accepts anything) gets application/json.
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=UTF-8");
            }
        });
        if (!media.equals("application/json")) {
            // graphql-over-http's own media type is JSON; SmallRye GraphQL knows it by the usual name.
            ctx.request().headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
        }
        ctx.next();
    }

    /**
     * Answers a catalog-only request with the answer kept from before, if there is one (true); otherwise arranges
     * for its answer to be kept once SmallRye GraphQL has written it (false: go on).
     */
    private boolean answeredFromKept(RoutingContext ctx, Context context, String body, String document) {
        ByteBuffer key = CatalogAnswers.key(ctx, body);
        CatalogAnswers.Answer kept = answers.find(key);
        if (kept != null) {
            ctx.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, kept.contentType())
                    .end(Buffer.buffer(kept.body()));
            return true;
        }
        AnswerCapture capture = AnswerCapture.attach(context, document);
        ctx.addBodyEndHandler(ignored -> answers.keep(key, capture, ctx.response().getStatusCode(),
                ctx.response().headers().get(HttpHeaders.CONTENT_TYPE)));
        return false;
    }

    /** What the edge makes of a body: a refusal, or the document to run and whether it is catalog-only. */
    record Verdict(Refusal refusal, String document, boolean catalogOnly) {
        static Verdict refused(Refusal refusal) {
            return new Verdict(refusal, null, false);
        }
    }

    /** Why the body cannot be executed (a refusal), or what SmallRye GraphQL is to run. */
    private Verdict judge(String body) {
        if (body == null || body.isBlank()) {
            return Verdict.refused(new Refusal("NO_BODY", "The request has no body: send {\"query\": \"...\"}"));
        }
        JsonValue parsed;
        try {
            parsed = JsonSupport.parse(body);
        } catch (JsonException e) {
            return Verdict.refused(new Refusal("NOT_JSON", "The request body is not JSON"));
        }
        if (parsed.getValueType() == JsonValue.ValueType.ARRAY) {
            return Verdict.refused(new Refusal("BATCH_NOT_SUPPORTED",
                    "Batched requests are not supported: send one operation"));
        }
        if (!(parsed instanceof JsonObject request)) {
            return Verdict.refused(new Refusal("NOT_AN_OBJECT", "The request body must be a JSON object"));
        }
        if (!(request.get("query") instanceof JsonString query)) {
            if (JsonSupport.object(JsonSupport.object(request, "extensions"), "persistedQuery") != null) {
                // Apollo clients then send the document itself.
                return Verdict.refused(new Refusal("PERSISTED_QUERY_NOT_SUPPORTED", "PersistedQueryNotSupported"));
            }
            return Verdict.refused(new Refusal("NO_QUERY", "The request has no \"query\" string"));
        }
        String document = query.getString();
        if (document.length() > limits.maxCharacters()) {
            return Verdict.refused(new Refusal("DOCUMENT_TOO_LARGE", "The document has more than "
                    + limits.maxCharacters() + " characters"));
        }
        ByteBuffer digest = ByteBuffer.wrap(Hashes.sha256(document));
        Boolean catalogOnly = knownGood.get(digest);
        if (catalogOnly == null) {
            parses.increment();
            Document parsedDocument;
            try {
                parsedDocument = parse(document);
            } catch (ParseRefusal e) {
                return Verdict.refused(e.refusal);
            }
            Refusal refusal = documentLimits.check(parsedDocument);
            if (refusal != null) {
                return Verdict.refused(refusal);
            }
            catalogOnly = DocumentLimits.catalogOnly(parsedDocument);
            knownGood.put(digest, catalogOnly);
        }
        nameSpan(Span.current(), document, JsonSupport.string(request, "operationName"));
        return new Verdict(null, document, catalogOnly);
    }

    /**
     * Names the request's trace span after its GraphQL operation, as OpenTelemetry's convention has it
     * ({@code mutation CreateUser}), with {@code graphql.operation.type} and {@code graphql.operation.name}.
     */
    static void nameSpan(Span span, String document, String operationName) {
        if (!span.isRecording()) {
            return;
        }
        String type = operationType(document);
        span.updateName(operationName == null || operationName.isBlank() ? type : type + " " + operationName);
        span.setAttribute("graphql.operation.type", type);
        if (operationName != null && !operationName.isBlank()) {
            span.setAttribute("graphql.operation.name", operationName);
        }
    }

    /** The type of the document's first operation, read from its first keyword (a label, not a check). */
    static String operationType(String document) {
        int i = 0;
        while (i < document.length()) {
            char c = document.charAt(i);
            if (c == '#') {
                while (i < document.length() && document.charAt(i) != '\n') {
                    i++;
                }
            } else if (Character.isWhitespace(c) || c == ',' || c == '\uFEFF') {
                i++;
            } else {
                break;
            }
        }
        if (document.startsWith("mutation", i)) {
            return "mutation";
        }
        return document.startsWith("subscription", i) ? "subscription" : "query";
    }

    /** A document the parser gave up on, as the refusal the client gets. */
    private static final class ParseRefusal extends Exception {
        final Refusal refusal;

        ParseRefusal(Refusal refusal) {
            super(refusal.reason(), null, false, false);
            this.refusal = refusal;
        }
    }

    /** Parses the document within the parser's limits. */
    private Document parse(String document) throws ParseRefusal {
        try {
            return Parser.parse(ParserEnvironment.newParserEnvironment()
                    .document(document)
                    .parserOptions(options)
                    .build());
        } catch (ParseCancelledTooDeepException e) {
            throw new ParseRefusal(new Refusal("TOO_DEEP", "The document nests too deep"));
        } catch (ParseCancelledTooManyCharsException e) {
            throw new ParseRefusal(new Refusal("DOCUMENT_TOO_LARGE", "The document has more than "
                    + limits.maxCharacters() + " characters"));
        } catch (ParseCancelledException e) {
            throw new ParseRefusal(new Refusal("TOO_MANY_TOKENS", "The document has more than "
                    + limits.maxTokens() + " tokens"));
        } catch (InvalidSyntaxException e) {
            throw new ParseRefusal(new Refusal("INVALID_SYNTAX", "Invalid GraphQL document: " + e.getMessage()));
        }
    }

    private Tenant tenant(RoutingContext ctx) {
        if (ctx.user() instanceof QuarkusHttpUser user
                && user.getSecurityIdentity().getPrincipal() instanceof JsonWebToken token) {
            return Tenants.of(token, tenancy.claim()).orElse(null);
        }
        return null;
    }

    private static void answer(RoutingContext ctx, int status, String code, String message,
            Map<String, Object> more) {
        JsonObjectBuilder extensions = Jsonp.JSON.createObjectBuilder().add("code", code);
        new LinkedHashMap<>(more).forEach((k, v) -> extensions.add(k, v instanceof Number n
                ? Jsonp.JSON.createValue(n.longValue())
                : Jsonp.JSON.createValue(String.valueOf(v))));
        JsonObject error = Jsonp.JSON.createObjectBuilder().add("message", message).add("extensions", extensions)
                .build();
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, (accepts(ctx, GRAPHQL_RESPONSE_JSON) ? GRAPHQL_RESPONSE_JSON
                        : "application/json") + "; charset=UTF-8")
                .end(Jsonp.JSON.createObjectBuilder().add("errors", Jsonp.JSON.createArrayBuilder().add(error)).build()
                        .toString());
    }

    private static boolean accepts(RoutingContext ctx, String media) {
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(media);
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
