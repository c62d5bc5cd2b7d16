package com.alloygateway.alloy;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/** A successful answer of Alloy: its status and body. */
public record AlloyReply(int status, JsonValue body) {

    /** The body as an object; an empty one if it is something else. */
    public JsonObject object() {
        return body instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
    }
}
