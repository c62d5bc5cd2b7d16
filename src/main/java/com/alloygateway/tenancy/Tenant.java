package com.alloygateway.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A signed-in tenant: the token's issuer and the value of the tenancy claim. Two issuers never share a
 * tenant, whatever their subjects. {@link #id()} is opaque and stable.
 */
public record Tenant(String issuer, String subject) {

    /** The first 128 bits of SHA-256(issuer NUL subject), in hex. */
    public String id() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((issuer + '\u0000' + subject).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
