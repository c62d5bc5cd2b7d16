package com.alloygateway.validation;

import java.util.regex.Pattern;

/** Checks of identifiers that end up in Alloy's URL paths. */
public final class Ids {

    /** Connector and action ids: camelCase, the provider's own ({@code chat_postMessage}, {@code post-search}). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
    private static final Pattern CREDENTIAL_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private Ids() {
    }

    /** The id if it can be a connector or action id; else INVALID_INPUT naming the argument. */
    public static String requireName(String value, String argument) {
        if (value == null || !NAME.matcher(value).matches() || value.contains("..")) {
            throw new InvalidInputException("/" + argument,
                    "must be 1-128 letters, digits or _ . : - and start with a letter or digit");
        }
        return value;
    }

    /** The id if it can be a credential id; else INVALID_INPUT naming the argument. */
    public static String requireCredentialId(String value, String argument) {
        if (value == null || !CREDENTIAL_ID.matcher(value).matches()) {
            throw new InvalidInputException("/" + argument, "must be 1-128 letters, digits, _ or -");
        }
        return value;
    }
}
