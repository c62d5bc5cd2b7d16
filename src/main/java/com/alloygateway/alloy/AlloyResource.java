package com.alloygateway.alloy;

import static com.alloygateway.alloy.JsonSupport.array;
import static com.alloygateway.alloy.JsonSupport.objects;
import static com.alloygateway.alloy.JsonSupport.string;

import java.util.List;
import java.util.Objects;

import jakarta.json.JsonObject;

/** One entry of {@code GET /connectors/{id}/resources}. */
public record AlloyResource(String name, String description, List<ActionRef> actions) {

    /** An action as the resource list names it. */
    public record ActionRef(String id, String name, String description) {
    }

    static AlloyResource from(JsonObject o) {
        String name = string(o, "name");
        if (name == null) {
            return null;
        }
        List<ActionRef> actions = objects(array(o, "actions")).stream()
                .map(a -> {
                    String id = string(a, "id");
                    if (id == null) {
                        return null;
                    }
                    String actionName = string(a, "name");
                    return new ActionRef(id, actionName != null ? actionName : id, string(a, "description"));
                })
                .filter(Objects::nonNull)
                .toList();
        return new AlloyResource(name, string(o, "description"), actions);
    }
}
