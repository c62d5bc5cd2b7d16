package com.alloygateway.alloy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.alloygateway.testing.CaffeineClasses;
import com.github.benmanes.caffeine.cache.Cache;

/** The store of per-tenant execute breakers uses only Caffeine classes a native image has. */
class AlloyBreakersStoreTest {

    @Test
    void theExecuteBreakersStoreWorksInANativeImage() throws Exception {
        Cache<String, Object> store = AlloyBreakers.executeStore();
        Object breaker = new Object();
        assertThat(store.get("tenant\u0000hubspot", key -> breaker)).isSameAs(breaker);
        assertThat(store.asMap()).containsValue(breaker);
        CaffeineClasses.assertRegistered(store);
    }
}
