package com.alloygateway.validation;

import java.util.Map;

/** One reason input was refused; {@code path} is a JSON pointer into the operation's arguments. */
public record Violation(String path, String message) {

    /** The shape of one entry of {@code extensions.violations}. */
    public Map<String, Object> toMap() {
        return Map.of("path", path, "message", message);
    }
}
