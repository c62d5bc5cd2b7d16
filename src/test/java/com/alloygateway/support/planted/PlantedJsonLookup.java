package com.alloygateway.support.planted;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/** JSON built through {@code jakarta.json.Json}'s static methods: what {@code ArchitectureTest} must catch. Test-only. */
public final class PlantedJsonLookup {

    private PlantedJsonLookup() {
    }

    public static JsonObject empty() {
        return Json.createObjectBuilder().build();
    }
}
