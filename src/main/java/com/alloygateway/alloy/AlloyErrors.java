package com.alloygateway.alloy;

import java.time.Duration;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import com.alloygateway.alloy.AlloyHttpException.Source;

/** Reads Alloy's error bodies, in the seed's envelope or the flat form seen in the wild. */
final class AlloyErrors {

    private static final int MAX_MESSAGE = 500;

    private AlloyErrors() {
    }

    /** Alloy's error answer: status, body (either envelope) and {@code Retry-After}. */
    static AlloyHttpException fromResponse(int status, String body, Duration retryAfter) {
        JsonObject root = null;
        if (body != null && !body.isBlank()) {
            try {
                root = JsonSupport.asObject(JsonSupport.parse(body));
            } catch (JsonException notJson) {
                // An error page from a proxy: the status says enough.
            }
        }
        JsonObject error = JsonSupport.object(root, "error");
        String code = firstNonNull(JsonSupport.string(error, "code"), JsonSupport.string(root, "code"));
        String message = firstNonNull(JsonSupport.string(error, "message"), JsonSupport.string(root, "message"));
        if (message == null && root != null && root.get("error") instanceof JsonString s) {
            message = s.getString();
        }
        String sourceText = firstNonNull(JsonSupport.string(error, "source"), JsonSupport.string(root, "source"));
        Source source = "THIRD_PARTY".equalsIgnoreCase(sourceText) ? Source.THIRD_PARTY : Source.CONNECTIVITY_API;
        Integer detailStatus = firstNonNull(JsonSupport.integer(JsonSupport.object(error, "details"), "httpStatusCode"),
                JsonSupport.integer(JsonSupport.object(root, "details"), "httpStatusCode"));
        if (message == null) {
            message = "Alloy answered HTTP " + status;
        } else if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE) + "…";
        }
        return new AlloyHttpException(status, source, code, message, detailStatus, retryAfter);
    }

    @SafeVarargs
    private static <T> T firstNonNull(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
