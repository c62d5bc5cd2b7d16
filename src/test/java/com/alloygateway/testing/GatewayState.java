package com.alloygateway.testing;

import jakarta.enterprise.context.ApplicationScoped;

import com.alloygateway.alloy.AlloyBreakers;
import com.alloygateway.catalog.CatalogService;
import com.alloygateway.edge.CatalogAnswers;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;

/** The gateway's in-memory state that outlives a test: the catalog cache, its kept answers, the Alloy breakers. */
@ApplicationScoped
public class GatewayState {

    private final Cache catalog;
    private final AlloyBreakers breakers;
    private final CatalogAnswers answers;

    GatewayState(@CacheName(CatalogService.CACHE) Cache catalog, AlloyBreakers breakers, CatalogAnswers answers) {
        this.catalog = catalog;
        this.breakers = breakers;
        this.answers = answers;
    }

    /**
     * Empties the catalog cache and the answers kept from it, and closes every breaker, so each test starts as a
     * fresh gateway would.
     */
    public void reset() {
        catalog.invalidateAll().await().indefinitely();
        answers.invalidateAll();
        breakers.resetAll();
    }
}
