package com.alloygateway.support;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;

/**
 * The tracers of the gateway's own spans (calls to Alloy, database units of work). With tracing off
 * ({@code quarkus.otel.sdk.disabled}, the default) Quarkus still hands out a minimal SDK whose spans record, with
 * real ids, and are never exported: the work of building them would buy nothing, so they come from the no-op API.
 */
@ApplicationScoped
public class Tracers {

    private final OpenTelemetry telemetry;

    Tracers(OpenTelemetry telemetry, @ConfigProperty(name = "quarkus.otel.sdk.disabled") boolean disabled) {
        this.telemetry = disabled ? OpenTelemetry.noop() : telemetry;
    }

    /** The tracer named {@code scope}: the SDK's when tracing is on, a no-op one when it is off. */
    public Tracer tracer(String scope) {
        return telemetry.getTracer(scope);
    }
}
