package com.alloygateway.alloy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;


import com.alloygateway.alloy.AlloyUnavailableException.Reason;

/** Reads Alloy's success answers: JSON bodies, and lists in each of the forms Alloy uses. */
final class AlloyAnswers {

    private AlloyAnswers() {
    }

    static AlloyReply reply(AlloyExchange response) {
        String body = response.body();
        if (body == null || body.isBlank()) {
            return new AlloyReply(response.status(), JsonValue.EMPTY_JSON_OBJECT);
        }
        try {
            return new AlloyReply(response.status(), JsonSupport.parse(body));
        } catch (JsonException e) {
            throw new AlloyUnavailableException(Reason.MALFORMED_RESPONSE, "answer is not JSON");
        }
    }

    /** A list from {@code {key:[…]}}, {@code {data:[…]}} or a bare array; entries that fail to map are skipped. */
    static <T> List<T> list(JsonValue body, String key, Function<JsonObject, T> mapper) {
        JsonArray array = null;
        if (body instanceof JsonArray a) {
            array = a;
        } else if (body instanceof JsonObject o) {
            array = JsonSupport.array(o, key);
            if (array == null) {
                array = JsonSupport.array(o, "data");
            }
        }
        if (array == null) {
            throw new AlloyUnavailableException(Reason.MALFORMED_RESPONSE, "answer has no '" + key + "' list");
        }
        List<T> out = new ArrayList<>(array.size());
        for (JsonObject item : JsonSupport.objects(array)) {
            T mapped = mapper.apply(item);
            if (mapped != null) {
                out.add(mapped);
            }
        }
        return List.copyOf(out);
    }
}
