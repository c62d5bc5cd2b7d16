package com.alloygateway.alloy;

import static com.alloygateway.alloy.JsonSupport.string;

import jakarta.json.JsonObject;

/** One credential of an end user's list. {@code type} looks like {@code <connectorId>-<authenticationType>}. */
public record AlloyCredential(String credentialId, String name, String type, String createdAt, String updatedAt) {

    static AlloyCredential from(JsonObject o) {
        String id = string(o, "credentialId");
        if (id == null) {
            id = string(o, "id");
        }
        if (id == null) {
            return null;
        }
        return new AlloyCredential(id, string(o, "name"), string(o, "type"), string(o, "createdAt"),
                string(o, "updatedAt"));
    }

    /** The connector named by {@code type}'s prefix, if there is one. */
    public String connectorFromType() {
        if (type == null) {
            return null;
        }
        int dash = type.indexOf('-');
        return dash > 0 ? type.substring(0, dash) : null;
    }
}
