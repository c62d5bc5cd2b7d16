package com.alloygateway.validation;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;

/**
 * What any JSON a caller sends (a request body, parameters, credential data) must be before it is validated or
 * passed on: readable by every library on the way (numbers of at most {@value #MAX_NUMBER} characters, object
 * keys of at most {@value #MAX_KEY}), no control characters in keys and no NUL in strings, and nested at most
 * {@value #MAX_DEPTH} deep, and at most {@code GATEWAY_INPUTS_MAX_JSON_BYTES} (256 KiB) of JSON text each. Anything
 * else is refused, never waved through because a validator could not read it.
 */
@ApplicationScoped
public class JsonInputs {

    static final int MAX_NUMBER = 100;
    static final int MAX_KEY = 256;
    static final int MAX_DEPTH = 32;

    private final long maxBytes;

    JsonInputs(@ConfigProperty(name = "gateway.inputs.max-json-bytes", defaultValue = "256K") MemorySize maxBytes) {
        this.maxBytes = maxBytes.asLongValue();
    }

    /** The first problem of {@code value}, as a violation at its pointer under {@code base}; none if it is fine. */
    public List<Violation> check(JsonValue value, String base) {
        long size = JsonSize.of(value, maxBytes);
        if (size > maxBytes) {
            return List.of(new Violation(base, "is larger than " + maxBytes + " bytes of JSON"));
        }
        Violation v = walk(value, base, 0);
        return v == null ? List.of() : List.of(v);
    }

    private static Violation walk(JsonValue value, String pointer, int depth) {
        if (depth > MAX_DEPTH) {
            return new Violation(pointer, "is nested more than " + MAX_DEPTH + " levels deep");
        }
        if (value instanceof JsonObject o) {
            for (Map.Entry<String, JsonValue> e : o.entrySet()) {
                String key = e.getKey();
                if (key.length() > MAX_KEY) {
                    return new Violation(pointer, "has a key longer than " + MAX_KEY + " characters");
                }
                if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    return new Violation(pointer, "has a key with control characters");
                }
                Violation inner = walk(e.getValue(), pointer + "/" + key.replace("~", "~0").replace("/", "~1"),
                        depth + 1);
                if (inner != null) {
                    return inner;
                }
            }
        } else if (value instanceof JsonArray a) {
            for (int i = 0; i < a.size(); i++) {
                Violation inner = walk(a.get(i), pointer + "/" + i, depth + 1);
                if (inner != null) {
                    return inner;
                }
            }
        } else if (value instanceof JsonNumber n) {
            if (n.toString().length() > MAX_NUMBER) {
                return new Violation(pointer, "is a number of more than " + MAX_NUMBER + " characters");
            }
        } else if (value instanceof JsonString s && s.getString().indexOf('\u0000') >= 0) {
            return new Violation(pointer, "must not contain NUL characters");
        }
        return null;
    }
}
