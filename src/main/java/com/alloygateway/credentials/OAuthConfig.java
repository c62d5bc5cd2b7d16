package com.alloygateway.credentials;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** OAuth consents: where browsers come back to, where they may go on to, and for how long a flow waits. */
@ConfigMapping(prefix = "gateway.oauth")
public interface OAuthConfig {

    /**
     * The gateway's external base URL ({@code GATEWAY_PUBLIC_URL}, e.g. {@code https://api.example.com}); Alloy is
     * given {@code <this>/oauth/return/<flowId>} as the redirect URI. Required for OAuth in prod; dev and test
     * builds fall back to the local server.
     */
    Optional<String> publicUrl();

    /**
     * Prefixes an app's {@code redirectUri} must start with ({@code GATEWAY_OAUTH_REDIRECT_ALLOWLIST},
     * comma-separated): {@code https://app.example.com/}, {@code com.example.app:/oauth}. Empty: no OAuth.
     */
    Optional<List<String>> redirectAllowlist();

    /** How long a flow waits for the browser ({@code GATEWAY_OAUTH_FLOW_TTL}); then it is EXPIRED. */
    @WithDefault("15m")
    Duration flowTtl();

    /** Whether plain {@code http} redirect URIs may be allowed at all (dev and test only). */
    @WithDefault("false")
    boolean allowHttp();

    /** How often a subscription to a flow looks for a change (flows may finish on another replica). */
    @WithDefault("1s")
    Duration pollInterval();
}
