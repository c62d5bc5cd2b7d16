package com.alloygateway.edge;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The catalog's cache lifetime, and the whole answers kept for catalog queries ({@link CatalogAnswers}). */
@ConfigMapping(prefix = "gateway.catalog")
public interface CatalogAnswersConfig {

    /** How long catalog data is cached (also the {@code alloy-catalog} cache's expire-after-write). */
    @WithDefault("5M")
    Duration ttl();

    Answers answers();

    interface Answers {
        /** Whether whole answers to catalog queries are kept and served again. */
        @WithDefault("true")
        boolean enabled();

        /** Kept answers at most (least used dropped first). */
        @WithDefault("1000")
        long maxAnswers();

        /** Bytes of kept answers at most, all together. */
        @WithDefault("16777216")
        long maxBytes();

        /** A larger answer is not kept. */
        @WithDefault("2097152")
        int maxAnswerBytes();
    }
}
