package com.alloygateway.graphql;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.alloygateway.alloy.AlloyHttpException;
import com.alloygateway.alloy.AlloyUnavailableException;
import com.alloygateway.alloy.ResponseTooLargeException;
import com.alloygateway.alloy.UpstreamLimitException;

import io.quarkus.logging.Log;

/** What a failed call to Alloy means to a client: its code, message and extensions. */
public final class UpstreamErrors {

    private UpstreamErrors() {
    }

    /** Alloy answered with an error status (after any allowed retries). */
    public static GatewayException of(AlloyHttpException e) {
        if (e.isRateLimited()) {
            long seconds = e.retryAfter().map(UpstreamErrors::ceilSeconds).orElse(1L);
            return new GatewayException(ErrorCode.RATE_LIMITED, "Alloy is rate limiting requests; retry later",
                    Map.of("retryAfterSeconds", seconds));
        }
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("source", e.source().name());
        extensions.put("httpStatusCode", e.effectiveStatus());
        e.code().ifPresent(code -> extensions.put("upstreamCode", code));
        String message;
        if (e.source() == AlloyHttpException.Source.CONNECTIVITY_API && (e.status() == 401 || e.status() == 403)) {
            Log.errorf("Alloy refused the gateway's API key (HTTP %d): check ALLOY_API_KEY", e.status());
            message = "Alloy refused the gateway's credentials";
        } else {
            message = e.getMessage();
        }
        return new GatewayException(ErrorCode.UPSTREAM_ERROR, message, extensions);
    }

    /** No usable answer came from Alloy. */
    public static GatewayException of(AlloyUnavailableException e) {
        String message = switch (e.reason()) {
            case CONNECT_FAILED -> "Alloy could not be reached";
            case TIMEOUT -> "Alloy did not answer in time";
            case IO_ERROR -> "The connection to Alloy failed";
            case BREAKER_OPEN -> "Alloy is failing; calls are paused for a moment";
            case OVERLOADED -> "The gateway has too many calls to Alloy in flight; retry in a moment";
            case MALFORMED_RESPONSE -> "Alloy's answer could not be read";
        };
        return new GatewayException(ErrorCode.UPSTREAM_UNAVAILABLE, message, Map.of("reason", e.reason().name()));
    }

    /** Alloy's answer was cut off for its size: it ran, but its answer is not passed on. */
    public static GatewayException of(ResponseTooLargeException e) {
        return new GatewayException(ErrorCode.UPSTREAM_ERROR, e.getMessage(),
                Map.of("reason", "RESPONSE_TOO_LARGE", "httpStatusCode", e.status(), "limitBytes", e.limitBytes()));
    }

    /** A call the gateway did not make, because a limit of the request or of its tenant was reached. */
    public static GatewayException of(UpstreamLimitException e) {
        return switch (e.kind()) {
            case REQUEST_BUDGET -> new GatewayException(ErrorCode.INVALID_INPUT, e.getMessage(),
                    Map.of("reason", "UPSTREAM_BUDGET"));
            case TENANT_CONCURRENCY -> new GatewayException(ErrorCode.RATE_LIMITED, e.getMessage(),
                    Map.of("reason", "TENANT_CONCURRENCY", "retryAfterSeconds", 1L));
        };
    }

    private static long ceilSeconds(Duration d) {
        long seconds = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Math.max(seconds, 1);
    }
}
