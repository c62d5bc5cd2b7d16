package com.alloygateway.alloy;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;

import com.alloygateway.support.Jsonp;

/** Lenient readers for Alloy's JSON: a missing or mistyped field reads as absent, never as a crash. */
public final class JsonSupport {

    private static final JsonReaderFactory READERS = Jsonp.JSON.createReaderFactory(Map.of());

    private JsonSupport() {
    }

    /** Parses JSON text; throws {@link JsonParsingException} (or another {@code JsonException}) if it is not JSON. */
    public static JsonValue parse(String text) {
        try (JsonReader reader = READERS.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }

    public static JsonObject asObject(JsonValue value) {
        return value instanceof JsonObject o ? o : null;
    }

    public static JsonObject object(JsonObject parent, String key) {
        return parent == null ? null : asObject(parent.get(key));
    }

    public static JsonArray array(JsonObject parent, String key) {
        return parent != null && parent.get(key) instanceof JsonArray a ? a : null;
    }

    public static String string(JsonObject parent, String key) {
        if (parent == null) {
            return null;
        }
        JsonValue v = parent.get(key);
        if (v instanceof JsonString s) {
            return s.getString();
        }
        if (v instanceof JsonNumber n) {
            return n.toString();
        }
        return null;
    }

    public static Boolean bool(JsonObject parent, String key) {
        if (parent == null) {
            return null;
        }
        JsonValue v = parent.get(key);
        if (v == JsonValue.TRUE) {
            return true;
        }
        if (v == JsonValue.FALSE) {
            return false;
        }
        return null;
    }

    public static Integer integer(JsonObject parent, String key) {
        if (parent != null && parent.get(key) instanceof JsonNumber n && n.isIntegral()) {
            return n.intValue();
        }
        return null;
    }

    /** A list of strings from an array, or from a single string; never null. */
    public static List<String> strings(JsonObject parent, String key) {
        if (parent == null) {
            return List.of();
        }
        JsonValue v = parent.get(key);
        if (v instanceof JsonString s) {
            return List.of(s.getString());
        }
        List<String> out = new ArrayList<>();
        if (v instanceof JsonArray a) {
            for (JsonValue item : a) {
                if (item instanceof JsonString s) {
                    out.add(s.getString());
                }
            }
        }
        return List.copyOf(out);
    }

    /** The value, or null where it is absent or JSON null. */
    public static JsonValue value(JsonObject parent, String key) {
        if (parent == null) {
            return null;
        }
        JsonValue v = parent.get(key);
        return v == null || v == JsonValue.NULL ? null : v;
    }

    /** The objects of an array, skipping anything else. */
    public static List<JsonObject> objects(JsonArray array) {
        if (array == null) {
            return List.of();
        }
        List<JsonObject> out = new ArrayList<>(array.size());
        for (JsonValue item : array) {
            if (item instanceof JsonObject o) {
                out.add(o);
            }
        }
        return out;
    }
}
