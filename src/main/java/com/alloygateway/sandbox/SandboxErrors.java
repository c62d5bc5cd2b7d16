package com.alloygateway.sandbox;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Alloy's error bodies, in the two forms ALLOY-API.md records. */
final class SandboxErrors {

    private SandboxErrors() {
    }

    /** The documented envelope {@code {error:{source, code, message, details:{httpStatusCode}}}}. */
    static WebApplicationException envelope(int status, String source, String code, String message,
            int detailStatus) {
        String body = """
                {"error":{"source":"%s","code":"%s","message":"%s","details":{"httpStatusCode":%d}}}"""
                .formatted(source, code, escape(message), detailStatus);
        return new WebApplicationException(Response.status(status).type(MediaType.APPLICATION_JSON).entity(body)
                .build());
    }

    static WebApplicationException alloy(int status, String code, String message) {
        return envelope(status, "CONNECTIVITY_API", code, message, status);
    }

    static WebApplicationException thirdParty(int status, String code, String message, int providerStatus) {
        return envelope(status, "THIRD_PARTY", code, message, providerStatus);
    }

    /** The flat form seen in the wild for a credential Alloy cannot find. */
    static WebApplicationException credentialNotFound() {
        return new WebApplicationException(Response.status(404).type(MediaType.APPLICATION_JSON)
                .entity("{\"code\":\"AUTHENTICATION_NOT_FOUND\",\"message\":\"Credential not found\"}").build());
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
