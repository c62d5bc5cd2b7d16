package com.alloygateway.graphql;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The API's one timestamp format: ISO-8601 in UTC with milliseconds, e.g. {@code 2026-11-23T03:20:15.123Z}. */
public final class Timestamps {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    public static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant);
    }

    /** Normalizes an ISO-8601 instant from upstream; anything unreadable is passed on as it came. */
    public static String normalize(String value) {
        if (value == null) {
            return null;
        }
        try {
            return format(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return value;
        }
    }
}
