package com.alloygateway.support;

import jakarta.json.spi.JsonProvider;

/**
 * The one JSON-P provider, looked up once. {@code jakarta.json.Json}'s static methods look the provider up anew on
 * every call (a {@code ServiceLoader} scan of the class path's {@code META-INF/services}): profiled, that scan was
 * most of the CPU of a refused request. Main code builds JSON through {@link #JSON} only (ArchitectureTest).
 */
public final class Jsonp {

    public static final JsonProvider JSON = JsonProvider.provider();

    private Jsonp() {
    }
}
