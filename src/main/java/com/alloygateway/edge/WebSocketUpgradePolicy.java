package com.alloygateway.edge;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * GET on {@code /graphql}: a WebSocket upgrade for subscriptions may come without a token (browsers cannot set
 * headers on a WebSocket and send it in {@code connection_init} instead, where every operation still needs an
 * identity); any other GET needs an authenticated caller, like every POST.
 */
@ApplicationScoped
public class WebSocketUpgradePolicy implements HttpSecurityPolicy {

    static final String NAME = "graphql-ws-upgrade";

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
            AuthorizationRequestContext requestContext) {
        String upgrade = request.request().getHeader("Upgrade");
        if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
            return Uni.createFrom().item(CheckResult.PERMIT);
        }
        return identity.map(id -> id.isAnonymous() ? CheckResult.DENY : CheckResult.PERMIT);
    }

    @Override
    public String name() {
        return NAME;
    }
}
