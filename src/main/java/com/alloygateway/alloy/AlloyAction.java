package com.alloygateway.alloy;

import static com.alloygateway.alloy.JsonSupport.string;
import static com.alloygateway.alloy.JsonSupport.value;

import java.util.Locale;

import jakarta.json.JsonValue;
import jakarta.json.JsonObject;

/** {@code GET /connectors/{c}/actions/{a}}: an action's method, path and schemas. */
public record AlloyAction(String id, String displayName, String description, String httpMethod, String path,
        JsonValue parameters, JsonValue requestBody, JsonValue sampleSuccessResponse) {

    /** Reads the action from {@code {action:{...}}} or from a bare action object. */
    static AlloyAction from(JsonObject body, String requestedId) {
        JsonObject o = body.get("action") instanceof JsonObject inner ? inner : body;
        String id = string(o, "id");
        String displayName = string(o, "displayName");
        if (displayName == null) {
            displayName = string(o, "name");
        }
        String method = string(o, "httpMethod");
        JsonValue parameters = value(o, "parameters");
        return new AlloyAction(
                id != null ? id : requestedId,
                displayName != null ? displayName : requestedId,
                string(o, "description"),
                method != null ? method.toLowerCase(Locale.ROOT) : "post",
                string(o, "path") != null ? string(o, "path") : "",
                parameters != null ? parameters : JsonValue.EMPTY_JSON_ARRAY,
                value(o, "requestBody"),
                value(o, "sampleSuccessResponse"));
    }
}
