package com.alloygateway.edge;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The limits of the public GraphQL edge (defaults no looser than graphql-armor's). Each member is an
 * environment variable: {@code gateway.limits.max-aliases} is {@code GATEWAY_LIMITS_MAX_ALIASES}.
 */
@ConfigMapping(prefix = "gateway.limits")
public interface LimitsConfig {

    /** Aliased fields in one document. */
    @WithDefault("15")
    int maxAliases();

    /** Times the same field may appear in one selection set. */
    @WithDefault("10")
    int maxFieldRepeats();

    /** Directives in one document. */
    @WithDefault("50")
    int maxDirectives();

    /** Parser tokens in one document. */
    @WithDefault("1000")
    int maxTokens();

    /** Characters in one document. */
    @WithDefault("15000")
    int maxCharacters();

    /** Depth of selection sets (fragments followed). */
    @WithDefault("10")
    int maxDepth();

    /**
     * Whether {@code __schema} may be asked (off in prod: the SDL is published at {@code /graphql/schema.graphql}
     * instead). {@code __type(name:)} look-ups and {@code __typename} stay: they reveal nothing the SDL does not.
     */
    @WithDefault("false")
    boolean introspection();

    /** Upstream calls (Alloy) one request may cause, estimated before it runs and counted while it runs. */
    @WithDefault("25")
    int upstreamCallsPerRequest();

    /** Requests one tenant may make per minute, per replica (a token bucket refilled evenly). */
    @WithDefault("600")
    int requestsPerMinute();

    /** How many requests beyond the steady rate a tenant may make at once. */
    @WithDefault("60")
    int burst();

    /** Calls to Alloy one tenant may have in flight at once, per replica. */
    @WithDefault("8")
    int concurrentUpstreamPerTenant();
}
