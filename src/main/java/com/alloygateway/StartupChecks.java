package com.alloygateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;

import com.alloygateway.alloy.AlloyConfig;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;

/** Refuses to start a production gateway that could not work, with a message that says what to set. */
@ApplicationScoped
class StartupChecks {

    private final AlloyConfig alloy;

    StartupChecks(AlloyConfig alloy) {
        this.alloy = alloy;
    }

    void onStart(@Observes StartupEvent event) {
        if (LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        List<String> problems = problems(alloy.apiKey(),
                ConfigProvider.getConfig().getOptionalValue("quarkus.oidc.auth-server-url", String.class),
                ConfigProvider.getConfig().getOptionalValue("quarkus.oidc.token.audience", String.class));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The gateway cannot start: " + String.join("; ", problems));
        }
    }

    static List<String> problems(Optional<String> apiKey, Optional<String> oidcServer, Optional<String> audience) {
        List<String> problems = new ArrayList<>();
        if (apiKey.filter(k -> !k.isBlank()).isEmpty()) {
            problems.add("ALLOY_API_KEY is not set (the Alloy account's API key)");
        }
        if (oidcServer.filter(s -> !s.isBlank()).isEmpty()) {
            problems.add("QUARKUS_OIDC_AUTH_SERVER_URL is not set (the OIDC issuer that signs users' tokens)");
        }
        if (audience.filter(a -> !a.isBlank()).isEmpty()) {
            problems.add("QUARKUS_OIDC_TOKEN_AUDIENCE is not set (the audience the gateway's tokens must carry;"
                    + " without it any token of the issuer would be accepted)");
        }
        return problems;
    }
}
