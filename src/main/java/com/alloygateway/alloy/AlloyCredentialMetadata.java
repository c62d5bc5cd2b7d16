package com.alloygateway.alloy;

import static com.alloygateway.alloy.JsonSupport.array;
import static com.alloygateway.alloy.JsonSupport.bool;
import static com.alloygateway.alloy.JsonSupport.object;
import static com.alloygateway.alloy.JsonSupport.objects;
import static com.alloygateway.alloy.JsonSupport.string;
import static com.alloygateway.alloy.JsonSupport.value;

import java.util.Set;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import com.alloygateway.support.Jsonp;

/**
 * One entry of {@code GET /connectors/{c}/credentials/metadata}.
 *
 * @param inputSchema Alloy's JSON Schema of the whole {@code POST /connectors/{c}/credentials} body
 *        ({@code userId}, {@code authenticationType}, {@code redirectUri}, {@code data}…); for the seed's older
 *        form, an equivalent schema built from its property list
 * @param sampleInput Alloy's example of that whole body, as given
 * @param dataSchema the schema of {@code data} alone: what a caller fills in
 * @param sampleData the example of {@code data} alone
 */
public record AlloyCredentialMetadata(String authenticationType, Boolean authConfigRequired, JsonValue inputSchema,
        JsonValue sampleInput, JsonValue dataSchema, JsonValue sampleData) {

    /** Fields of the create-credential request itself, which the seed form lists beside the connector's own. */
    public static final Set<String> REQUEST_FIELDS = Set.of("userId", "authenticationType", "redirectUri",
            "authConfigId");

    /**
     * Reads the documented form {@code {authenticationType, authConfigRequired, inputSchema, sampleInput}} and
     * the seed's older form {@code {authenticationType, properties:[{name, required, type}]}}.
     */
    static AlloyCredentialMetadata from(JsonObject o) {
        String type = string(o, "authenticationType");
        if (type == null) {
            return null;
        }
        JsonValue schema = value(o, "inputSchema");
        JsonValue sample = value(o, "sampleInput");
        if (schema == null && array(o, "properties") != null) {
            schema = schemaFromProperties(o);
        }
        JsonObject schemaObject = JsonSupport.asObject(schema);
        JsonValue dataSchema = value(object(schemaObject, "properties"), "data");
        JsonValue sampleData = value(JsonSupport.asObject(sample), "data");
        return new AlloyCredentialMetadata(type, bool(o, "authConfigRequired"), schema, sample, dataSchema,
                sampleData);
    }

    /**
     * The seed form as the documented one: request fields at the top level, the connector's own fields under
     * {@code data}, each list's {@code required} kept.
     */
    private static JsonObject schemaFromProperties(JsonObject o) {
        JsonObjectBuilder top = Jsonp.JSON.createObjectBuilder();
        JsonArrayBuilder topRequired = Jsonp.JSON.createArrayBuilder();
        JsonObjectBuilder data = Jsonp.JSON.createObjectBuilder();
        JsonArrayBuilder dataRequired = Jsonp.JSON.createArrayBuilder();
        boolean anyData = false;
        boolean dataNeeded = false;
        for (JsonObject p : objects(array(o, "properties"))) {
            String name = string(p, "name");
            if (name == null) {
                continue;
            }
            String type = string(p, "type");
            JsonObject property = Jsonp.JSON.createObjectBuilder().add("type", type != null ? type : "string").build();
            boolean required = Boolean.TRUE.equals(bool(p, "required"));
            if (REQUEST_FIELDS.contains(name)) {
                top.add(name, property);
                if (required) {
                    topRequired.add(name);
                }
            } else {
                anyData = true;
                data.add(name, property);
                if (required) {
                    dataRequired.add(name);
                    dataNeeded = true;
                }
            }
        }
        if (anyData) {
            top.add("data", Jsonp.JSON.createObjectBuilder()
                    .add("type", "object")
                    .add("properties", data)
                    .add("required", dataRequired));
            if (dataNeeded) {
                topRequired.add("data");
            }
        }
        return Jsonp.JSON.createObjectBuilder()
                .add("type", "object")
                .add("properties", top)
                .add("required", topRequired)
                .build();
    }
}
