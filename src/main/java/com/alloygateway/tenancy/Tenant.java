package com.alloygateway.tenancy;

import java.util.HexFormat;

import com.alloygateway.support.Hashes;

/**
 * A signed-in tenant: the token's issuer and the value of the tenancy claim. Two issuers never share a
 * tenant, whatever their subjects. {@link #id()} is opaque and stable.
 */
public record Tenant(String issuer, String subject) {

    /** The first 128 bits of SHA-256(issuer NUL subject), in hex. */
    public String id() {
        return HexFormat.of().formatHex(Hashes.sha256(issuer + '\u0000' + subject), 0, 16);
    }
}
