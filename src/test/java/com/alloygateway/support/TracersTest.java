package com.alloygateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;

class TracersTest {

    /** What Quarkus hands out with quarkus.otel.sdk.disabled=true: a minimal SDK, whose spans still record. */
    private final OpenTelemetrySdk minimal = OpenTelemetrySdk.builder().build();

    @Test
    void withTracingOnTheSpansAreTheSdks() {
        Span span = new Tracers(minimal, false).tracer("test").spanBuilder("unit").startSpan();
        assertThat(span.isRecording()).isTrue();
        assertThat(span.getSpanContext().isValid()).isTrue();
    }

    @Test
    void withTracingOffTheSpansRecordNothingAndHaveNoIds() {
        Span span = new Tracers(minimal, true).tracer("test").spanBuilder("unit").startSpan();
        assertThat(span.isRecording()).isFalse();
        assertThat(span.getSpanContext().isValid()).isFalse();
    }
}
