package com.alloygateway.validation;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** The length in bytes of a JSON value's compact UTF-8 text (escapes aside), counted without writing it out. */
final class JsonSize {

    private JsonSize() {
    }

    /** The size, or a number above {@code stopAbove} as soon as it is known to exceed it. */
    static long of(JsonValue value, long stopAbove) {
        return add(value, 0, stopAbove);
    }

    private static long add(JsonValue value, long size, long stopAbove) {
        if (size > stopAbove || value == null) {
            return size;
        }
        if (value instanceof JsonObject o) {
            size += 2 + Math.max(0, o.size() - 1);
            for (Map.Entry<String, JsonValue> e : o.entrySet()) {
                size = add(e.getValue(), size + utf8(e.getKey()) + 3, stopAbove);
                if (size > stopAbove) {
                    return size;
                }
            }
            return size;
        }
        if (value instanceof JsonArray a) {
            size += 2 + Math.max(0, a.size() - 1);
            for (JsonValue item : a) {
                size = add(item, size, stopAbove);
                if (size > stopAbove) {
                    return size;
                }
            }
            return size;
        }
        if (value instanceof JsonString s) {
            return size + utf8(s.getString()) + 2;
        }
        return size + value.toString().length();
    }

    private static long utf8(String s) {
        // Exact for ASCII; otherwise the encoder's count (rare in keys and values of this size).
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return s.length();
    }
}
