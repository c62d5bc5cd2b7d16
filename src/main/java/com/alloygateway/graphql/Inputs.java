package com.alloygateway.graphql;

import java.util.regex.Pattern;

/** Checks of identifiers that end up in Alloy's URL paths. */
public final class Inputs {

    /** Connector and action ids: camelCase, the provider's own ({@code chat_postMessage}, {@code post-search}). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");

    private Inputs() {
    }

    /** The id if it can be a connector or action id; else INVALID_INPUT naming the argument. */
    public static String name(String value, String argument) {
        if (value == null || !NAME.matcher(value).matches() || value.contains("..")) {
            throw GatewayException.invalidInput("/" + argument,
                    "must be 1-128 letters, digits or _ . : - and start with a letter or digit");
        }
        return value;
    }
}
