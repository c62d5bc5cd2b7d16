package com.alloygateway.testing;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/**
 * {@link WireMockAlloyProfile} with the OpenTelemetry SDK on, exporting at once to an {@link InMemorySpanExporter}
 * the test injects.
 */
public class TracedProfile extends WireMockAlloyProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("quarkus.otel.sdk.disabled", "false");
        config.put("quarkus.otel.bsp.schedule.delay", "50ms");
        config.put("quarkus.otel.bsp.export.timeout", "1s");
        return config;
    }

    /** The spans, kept in memory for the test to read. */
    @ApplicationScoped
    static class Exporter {
        @Produces
        @Singleton
        InMemorySpanExporter spans() {
            return InMemorySpanExporter.create();
        }
    }
}
