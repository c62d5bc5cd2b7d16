package com.alloygateway.alloy;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.tracing.TracingPolicy;

/**
 * The HTTP exchanges with Alloy, on Vert.x's reactive HTTP client: each request carries the account headers
 * (and {@code x-alloy-userid} where user-scoped) and nothing of the caller's request; each answer is read
 * with a size limit ({@code ALLOY_MAX_RESPONSE_BYTES}), so an answer too large is cut off while it streams in,
 * never held whole. An error status becomes an {@link AlloyHttpException}; an answer over the limit a
 * {@link ResponseTooLargeException}. Only {@link AlloyCalls} sends through this class.
 */
@ApplicationScoped
class AlloyTransport {

    static final String USER_HEADER = "x-alloy-userid";

    private final AlloyConfig config;
    private final HttpClient client;
    private final long maxBytes;
    private volatile Target target;

    /** Where Alloy is: read at the first call (in tests the sandbox's port is known only once the server is up). */
    private record Target(String host, int port, boolean ssl, String basePath) {
        static Target of(String baseUrl) {
            URI base = URI.create(baseUrl);
            boolean ssl = "https".equalsIgnoreCase(base.getScheme());
            if (base.getHost() == null || !(ssl || "http".equalsIgnoreCase(base.getScheme()))) {
                throw new IllegalStateException("ALLOY_BASE_URL must be an http(s) URL: " + baseUrl);
            }
            String path = base.getRawPath() == null ? "" : base.getRawPath();
            return new Target(base.getHost(), base.getPort() > 0 ? base.getPort() : (ssl ? 443 : 80), ssl,
                    path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
        }
    }

    AlloyTransport(AlloyConfig config, Vertx vertx) {
        this.config = config;
        this.maxBytes = config.maxResponseBytes().asLongValue();
        this.client = vertx.httpClientBuilder()
                .with(new HttpClientOptions()
                        .setConnectTimeout((int) config.connectTimeout().toMillis())
                        .setMaxPoolSize(config.maxConcurrentCalls())
                        .setKeepAlive(true)
                        .setDecompressionSupported(true)
                        .setVerifyHost(true)
                        // Tracing stays inside the gateway: no traceparent, tracestate or baggage to Alloy.
                        .setTracingPolicy(TracingPolicy.IGNORE))
                // A broken connection fails the exchange on it (and is reported there), not the log.
                .withConnectHandler(connection -> connection.exceptionHandler(
                        failure -> Log.debugf("Connection to Alloy failed: %s", failure.toString())))
                .build();
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** One exchange: its answer for a 2xx, else a failure (an error status, too large, or no answer). */
    Uni<AlloyExchange> send(HttpMethod method, String path, String userId, String body) {
        return Uni.createFrom().emitter(emitter -> {
            Target to = target();
            RequestOptions options = new RequestOptions()
                    .setMethod(method)
                    .setHost(to.host())
                    .setPort(to.port())
                    .setSsl(to.ssl())
                    .setURI(to.basePath() + path)
                    .setFollowRedirects(false)
                    .putHeader("Accept", "application/json")
                    .putHeader("x-api-version", config.apiVersion());
            config.apiKey().ifPresent(key -> options.putHeader("Authorization", "Bearer " + key));
            if (userId != null) {
                options.putHeader(USER_HEADER, userId);
            }
            if (body != null) {
                options.putHeader("Content-Type", "application/json");
            }
            client.request(options).onComplete(opened -> {
                if (opened.failed()) {
                    emitter.fail(opened.cause());
                    return;
                }
                HttpClientRequest request = opened.result();
                boolean[] answered = {false};
                // Cancelled (the attempt timed out, the caller went away) before the answer was read: free the
                // connection at once rather than let it stream on.
                emitter.onTermination(() -> {
                    if (!answered[0]) {
                        request.reset();
                    }
                });
                request.response().onComplete(response -> {
                    if (response.failed()) {
                        emitter.fail(response.cause());
                    } else {
                        read(request, response.result(), emitter, answered);
                    }
                });
                if (body == null) {
                    request.end();
                } else {
                    request.end(Buffer.buffer(body.getBytes(StandardCharsets.UTF_8)));
                }
            });
        });
    }

    private void read(HttpClientRequest request, HttpClientResponse response,
            UniEmitter<? super AlloyExchange> emitter, boolean[] answered) {
        int status = response.statusCode();
        String declared = response.getHeader("Content-Length");
        if (declared != null && parseLength(declared) > maxBytes) {
            request.reset();
            emitter.fail(new ResponseTooLargeException(status, maxBytes));
            return;
        }
        Buffer content = Buffer.buffer();
        boolean[] cutOff = {false};
        response.handler(chunk -> {
            if (cutOff[0]) {
                return;
            }
            if (content.length() + (long) chunk.length() > maxBytes) {
                cutOff[0] = true;
                request.reset();
                emitter.fail(new ResponseTooLargeException(status, maxBytes));
                return;
            }
            content.appendBuffer(chunk);
        });
        response.exceptionHandler(failure -> {
            if (!cutOff[0]) {
                emitter.fail(failure);
            }
        });
        response.endHandler(done -> {
            if (cutOff[0]) {
                return;
            }
            answered[0] = true;
            String text = content.toString(StandardCharsets.UTF_8);
            if (status >= 200 && status < 300) {
                emitter.complete(new AlloyExchange(status, text));
            } else {
                emitter.fail(AlloyErrors.fromResponse(status, text,
                        Backoff.parseRetryAfter(response.getHeader("Retry-After"), Instant.now()).orElse(null)));
            }
        });
    }

    private Target target() {
        Target t = target;
        if (t == null) {
            t = Target.of(ConfigProvider.getConfig().getOptionalValue("alloy.base-url", String.class)
                    .orElse(config.baseUrl()));
            target = t;
        }
        return t;
    }

    /** A path segment as it goes on the wire (ids are checked before they get here; this is the last guard). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static long parseLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
