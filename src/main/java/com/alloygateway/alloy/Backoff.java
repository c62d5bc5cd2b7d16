package com.alloygateway.alloy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** Full-jitter exponential backoff, and reading of {@code Retry-After}. */
final class Backoff {

    private Backoff() {
    }

    /**
     * The wait before retry number {@code retry} (1 for the first): uniformly random in
     * {@code [0, min(max, base * 2^(retry-1))]}.
     */
    static Duration fullJitter(int retry, Duration base, Duration max) {
        long cap = base.toMillis() << Math.min(Math.max(retry - 1, 0), 20);
        long ceiling = Math.min(Math.max(cap, 0), max.toMillis());
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    /** A {@code Retry-After} value: delta-seconds or an HTTP date; empty if absent or unreadable. */
    static Optional<Duration> parseRetryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(now, at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
