package com.alloygateway.alloy;

import static com.alloygateway.alloy.JsonSupport.string;
import static com.alloygateway.alloy.JsonSupport.strings;

import java.util.List;

import jakarta.json.JsonObject;

/** One entry of {@code GET /connectors}. */
public record AlloyConnector(String id, String name, String icon, List<String> groups, List<String> categories) {

    /** Reads {@code {id, name, icon, group, category}}; {@code groups}/{@code categories} are accepted too. */
    static AlloyConnector from(JsonObject o) {
        String id = string(o, "id");
        if (id == null) {
            return null;
        }
        List<String> groups = o.containsKey("group") ? strings(o, "group") : strings(o, "groups");
        List<String> categories = o.containsKey("category") ? strings(o, "category") : strings(o, "categories");
        String name = string(o, "name");
        return new AlloyConnector(id, name != null ? name : id, string(o, "icon"), groups, categories);
    }
}
