package com.alloygateway.tenancy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a verified token becomes a tenant, and how its Alloy user is named. */
@ConfigMapping(prefix = "gateway.tenancy")
public interface TenancyConfig {

    /** The claim that names a tenant within its issuer ({@code GATEWAY_TENANCY_CLAIM}). */
    @WithDefault("sub")
    String claim();

    /**
     * Prefix of the Alloy usernames the gateway creates ({@code GATEWAY_TENANCY_USERNAME_PREFIX}); the rest is
     * the opaque tenant id, so no e-mail or name reaches Alloy through the username. Give each gateway that
     * shares an Alloy account its own prefix.
     */
    @WithDefault("gw-")
    String usernamePrefix();
}
