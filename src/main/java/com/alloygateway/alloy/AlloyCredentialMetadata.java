package com.alloygateway.alloy;

import static com.alloygateway.alloy.JsonSupport.array;
import static com.alloygateway.alloy.JsonSupport.bool;
import static com.alloygateway.alloy.JsonSupport.objects;
import static com.alloygateway.alloy.JsonSupport.string;
import static com.alloygateway.alloy.JsonSupport.value;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/** One entry of {@code GET /connectors/{c}/credentials/metadata}. */
public record AlloyCredentialMetadata(String authenticationType, Boolean authConfigRequired, JsonValue inputSchema,
        JsonValue sampleInput) {

    /**
     * Reads the documented form {@code {authenticationType, authConfigRequired, inputSchema, sampleInput}} and
     * the older seed form {@code {authenticationType, properties:[{name, required, type}]}}, whose property list
     * becomes an equivalent JSON Schema.
     */
    /** Fields of the create-credential request itself, which the seed form lists beside the connector's own. */
    private static final java.util.Set<String> REQUEST_FIELDS = java.util.Set.of("userId", "redirectUri",
            "authenticationType", "authConfigId");

    static AlloyCredentialMetadata from(JsonObject o) {
        String type = string(o, "authenticationType");
        if (type == null) {
            return null;
        }
        JsonValue schema = value(o, "inputSchema");
        if (schema == null && array(o, "properties") != null) {
            schema = schemaFromProperties(o);
        }
        return new AlloyCredentialMetadata(type, bool(o, "authConfigRequired"), schema, value(o, "sampleInput"));
    }

    private static JsonObject schemaFromProperties(JsonObject o) {
        JsonObjectBuilder properties = Json.createObjectBuilder();
        JsonArrayBuilder required = Json.createArrayBuilder();
        for (JsonObject p : objects(array(o, "properties"))) {
            String name = string(p, "name");
            if (name == null || REQUEST_FIELDS.contains(name)) {
                continue;
            }
            String type = string(p, "type");
            properties.add(name, Json.createObjectBuilder().add("type", type != null ? type : "string"));
            if (Boolean.TRUE.equals(bool(p, "required"))) {
                required.add(name);
            }
        }
        return Json.createObjectBuilder()
                .add("type", "object")
                .add("properties", properties)
                .add("required", required)
                .build();
    }
}
