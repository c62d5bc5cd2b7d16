package com.alloygateway.testing;

import jakarta.enterprise.context.ApplicationScoped;

import com.alloygateway.alloy.AlloyBreakers;
import com.alloygateway.catalog.CatalogService;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;

/** The gateway's in-memory state that outlives a test: the catalog cache and the Alloy circuit breakers. */
@ApplicationScoped
public class GatewayState {

    private final Cache catalog;
    private final AlloyBreakers breakers;

    GatewayState(@CacheName(CatalogService.CACHE) Cache catalog, AlloyBreakers breakers) {
        this.catalog = catalog;
        this.breakers = breakers;
    }

    /** Empties the catalog cache and closes every breaker, so each test starts as a fresh gateway would. */
    public void reset() {
        catalog.invalidateAll().await().indefinitely();
        breakers.resetAll();
    }
}
