package com.alloygateway.execution;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import com.alloygateway.support.Hashes;
import com.alloygateway.support.Jsonp;

/**
 * What makes two executeAction inputs the same for an idempotency key: SHA-256 of the input in canonical JSON
 * (object keys sorted at every depth), the key itself aside.
 */
final class InputFingerprint {

    private InputFingerprint() {
    }

    static String of(ExecuteActionInput input) {
        Map<String, JsonValue> fields = new TreeMap<>();
        fields.put("actionId", Jsonp.JSON.createValue(input.actionId));
        fields.put("additionalHeaders", orNull(input.additionalHeaders));
        fields.put("connectorId", Jsonp.JSON.createValue(input.connectorId));
        fields.put("credentialId", Jsonp.JSON.createValue(input.credentialId));
        fields.put("pathParams", orNull(input.pathParams));
        fields.put("queryParameters", orNull(input.queryParameters));
        fields.put("requestBody", orNull(input.requestBody));
        StringBuilder canonical = new StringBuilder();
        canonical(Jsonp.JSON.createObjectBuilder(new LinkedHashMap<String, Object>(fields)).build(), canonical);
        return HexFormat.of().formatHex(Hashes.sha256(canonical.toString()));
    }

    private static JsonValue orNull(JsonValue value) {
        return value == null ? JsonValue.NULL : value;
    }

    private static void canonical(JsonValue value, StringBuilder out) {
        if (value instanceof JsonObject o) {
            out.append('{');
            boolean first = true;
            for (String key : new TreeMap<>(o).keySet()) {
                out.append(first ? "" : ",").append(Jsonp.JSON.createValue(key)).append(':');
                canonical(o.get(key), out);
                first = false;
            }
            out.append('}');
        } else if (value instanceof JsonArray a) {
            out.append('[');
            for (int i = 0; i < a.size(); i++) {
                out.append(i == 0 ? "" : ",");
                canonical(a.get(i), out);
            }
            out.append(']');
        } else {
            out.append(value);
        }
    }
}
