package com.alloygateway.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import jakarta.ws.rs.WebApplicationException;

import org.junit.jupiter.api.Test;

import com.alloygateway.sandbox.SandboxFaults.Fault;

/** The sandbox's injected faults: off by default, drawn at the configured shares, in Alloy's error shapes. */
class SandboxFaultsTest {

    private static SandboxFaults faults(double rateLimited, double serverError, double slow) {
        return new SandboxFaults(rateLimited, serverError, slow, Duration.ofMillis(40));
    }

    @Test
    void withTheDefaultsNothingIsInjected() {
        SandboxFaults none = faults(0, 0, 0);
        for (int i = 0; i < 1_000; i++) {
            assertThat(none.draw(true)).isEqualTo(Fault.NONE);
        }
    }

    @Test
    void faultsAreDrawnAtTheirShares() {
        SandboxFaults some = faults(0.2, 0.2, 0.2);
        Map<Fault, Integer> drawn = new EnumMap<>(Fault.class);
        for (int i = 0; i < 20_000; i++) {
            drawn.merge(some.draw(true), 1, Integer::sum);
        }
        assertThat(drawn.get(Fault.RATE_LIMITED)).isBetween(3_600, 4_400);
        assertThat(drawn.get(Fault.SERVER_ERROR_BEFORE) + drawn.get(Fault.SERVER_ERROR_AFTER)).isBetween(3_600, 4_400);
        assertThat(drawn.get(Fault.SERVER_ERROR_AFTER)).isBetween(1_600, 2_400);
        assertThat(drawn.get(Fault.SLOW)).isBetween(3_600, 4_400);
        assertThat(drawn.get(Fault.NONE)).isBetween(7_400, 8_600);
    }

    @Test
    void onlyAnExecuteFailsAfterItsAction() {
        SandboxFaults failing = faults(0, 1, 0);
        for (int i = 0; i < 1_000; i++) {
            assertThat(failing.draw(false)).isEqualTo(Fault.SERVER_ERROR_BEFORE);
        }
    }

    @Test
    void aRateLimitIsA429WithRetryAfterInTheEnvelope() {
        WebApplicationException e = catchThrowableOfType(() -> faults(1, 0, 0).before(Fault.RATE_LIMITED),
                WebApplicationException.class);
        assertThat(e.getResponse().getStatus()).isEqualTo(429);
        assertThat(e.getResponse().getHeaderString("Retry-After")).isEqualTo("1");
        assertThat((String) e.getResponse().getEntity()).contains("\"source\":\"CONNECTIVITY_API\"")
                .contains("\"code\":\"RATE_LIMITED\"");
    }

    @Test
    void aServerErrorBeforeIsAlloysAndOneAfterIsTheThirdPartys() {
        SandboxFaults failing = faults(0, 1, 0);
        WebApplicationException before = catchThrowableOfType(() -> failing.before(Fault.SERVER_ERROR_BEFORE),
                WebApplicationException.class);
        assertThat(before.getResponse().getStatus()).isEqualTo(503);
        assertThat((String) before.getResponse().getEntity()).contains("\"source\":\"CONNECTIVITY_API\"");
        failing.before(Fault.SERVER_ERROR_AFTER);
        WebApplicationException after = catchThrowableOfType(() -> failing.after(Fault.SERVER_ERROR_AFTER),
                WebApplicationException.class);
        assertThat(after.getResponse().getStatus()).isEqualTo(502);
        assertThat((String) after.getResponse().getEntity()).contains("\"source\":\"THIRD_PARTY\"")
                .contains("\"httpStatusCode\":500");
        failing.after(Fault.NONE);
        failing.after(Fault.SERVER_ERROR_BEFORE);
    }

    @Test
    void aSlowAnswerWaitsUpToTheDelay() {
        long start = System.nanoTime();
        faults(0, 0, 1).before(Fault.SLOW);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(20), Duration.ofSeconds(2));
    }

    @Test
    void sharesOutsideZeroToOneAreRefused() {
        assertThatThrownBy(() -> faults(0.5, 0.4, 0.2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> faults(-0.1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
