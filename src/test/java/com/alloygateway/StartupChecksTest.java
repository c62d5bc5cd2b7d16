package com.alloygateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class StartupChecksTest {

    @Test
    void aCompleteConfigurationPasses() {
        assertThat(StartupChecks.problems(Optional.of("key"), Optional.of("https://idp/realms/x"),
                Optional.of("alloy-gateway"))).isEmpty();
    }

    @Test
    void eachMissingSettingIsNamedByItsEnvironmentVariable() {
        assertThat(StartupChecks.problems(Optional.empty(), Optional.of(" "), Optional.empty()))
                .hasSize(3)
                .anySatisfy(p -> assertThat(p).startsWith("ALLOY_API_KEY is not set"))
                .anySatisfy(p -> assertThat(p).startsWith("QUARKUS_OIDC_AUTH_SERVER_URL is not set"))
                .anySatisfy(p -> assertThat(p).startsWith("QUARKUS_OIDC_TOKEN_AUDIENCE is not set"));
    }

    @Test
    void timeoutsMustNestInsideEachOther() {
        assertThat(StartupChecks.timing(Duration.ofHours(24), Duration.ofMinutes(2), Duration.ofSeconds(30))).isEmpty();
        assertThat(StartupChecks.timing(Duration.ofHours(24), Duration.ofSeconds(30), Duration.ofSeconds(30)))
                .singleElement().asString().startsWith("GATEWAY_EXECUTION_IN_FLIGHT_TIMEOUT");
        assertThat(StartupChecks.timing(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofSeconds(30)))
                .singleElement().asString().startsWith("GATEWAY_EXECUTION_IDEMPOTENCY_TTL");
    }

    @Test
    void outcomeRetriesEndBeforeAKeyGoesStaleAndATenantsShareFitsTheBulkhead() {
        assertThat(StartupChecks.capacity(Duration.ofSeconds(90), Duration.ofMinutes(2), 8, 64)).isEmpty();
        assertThat(StartupChecks.capacity(Duration.ofMinutes(2), Duration.ofMinutes(2), 8, 64))
                .singleElement().asString().startsWith("GATEWAY_EXECUTION_OUTCOME_RETRY_FOR");
        assertThat(StartupChecks.capacity(Duration.ofSeconds(90), Duration.ofMinutes(2), 65, 64))
                .singleElement().asString().startsWith("GATEWAY_LIMITS_CONCURRENT_UPSTREAM_PER_TENANT");
        assertThat(StartupChecks.capacity(Duration.ofSeconds(90), Duration.ofMinutes(2), 0, 0)).hasSize(1);
    }
}
