package com.alloygateway.alloy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/**
 * Adds the account headers to every Alloy call. Nothing of the incoming request (above all not the caller's
 * bearer token) is propagated: only what this factory returns is sent.
 */
@ApplicationScoped
class AlloyHeaders implements ClientHeadersFactory {

    private final AlloyConfig config;

    AlloyHeaders(AlloyConfig config) {
        this.config = config;
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incomingHeaders,
            MultivaluedMap<String, String> clientOutgoingHeaders) {
        // Keep what the interface itself set (x-alloy-userid); add the account headers.
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>(clientOutgoingHeaders);
        config.apiKey().ifPresent(key -> headers.putSingle("Authorization", "Bearer " + key));
        headers.putSingle("x-api-version", config.apiVersion());
        return headers;
    }
}
