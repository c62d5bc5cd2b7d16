package com.alloygateway.testing;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Alloy replaced by WireMock, with short timeouts, small retry delays, a quick breaker and a 1 MiB answer limit. */
public class WireMockAlloyProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "alloy.attempt-timeout", "400ms",
                "alloy.request-deadline", "4s",
                "alloy.retry.max-retries", "3",
                "alloy.retry.base-delay", "20ms",
                "alloy.retry.max-delay", "80ms",
                "alloy.breaker.request-volume-threshold", "8",
                "alloy.breaker.failure-ratio", "0.75",
                "alloy.breaker.delay", "60s",
                "alloy.max-response-bytes", "1M",
                "gateway.catalog.ttl", "2s");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(AlloyWireMock.class));
    }
}
