package com.alloygateway.alloy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.IntStream;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Instant NOW = Instant.parse("2026-11-23T03:20:15Z");

    @Test
    void retryAfterInSeconds() {
        assertThat(Backoff.parseRetryAfter("7", NOW)).contains(Duration.ofSeconds(7));
        assertThat(Backoff.parseRetryAfter(" 0 ", NOW)).contains(Duration.ZERO);
    }

    @Test
    void retryAfterAsAnHttpDate() {
        String inNinety = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(90).atOffset(ZoneOffset.UTC));
        assertThat(Backoff.parseRetryAfter(inNinety, NOW)).contains(Duration.ofSeconds(90));
        assertThat(Backoff.parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void unreadableRetryAfterIsIgnored() {
        assertThat(Backoff.parseRetryAfter(null, NOW)).isEmpty();
        assertThat(Backoff.parseRetryAfter("", NOW)).isEmpty();
        assertThat(Backoff.parseRetryAfter("soon", NOW)).isEmpty();
        assertThat(Backoff.parseRetryAfter("-5", NOW)).isEmpty();
    }

    @RepeatedTest(50)
    void fullJitterStaysWithinTheExponentialCeiling() {
        Duration base = Duration.ofMillis(100);
        Duration max = Duration.ofMillis(1000);
        assertThat(Backoff.fullJitter(1, base, max)).isBetween(Duration.ZERO, Duration.ofMillis(100));
        assertThat(Backoff.fullJitter(3, base, max)).isBetween(Duration.ZERO, Duration.ofMillis(400));
        assertThat(Backoff.fullJitter(30, base, max)).isBetween(Duration.ZERO, max);
    }

    @Test
    void fullJitterIsSpreadNotFixed() {
        long distinct = IntStream.range(0, 200)
                .mapToObj(i -> Backoff.fullJitter(4, Duration.ofMillis(100), Duration.ofSeconds(5)))
                .distinct().count();
        assertThat(distinct).isGreaterThan(50);
    }
}
