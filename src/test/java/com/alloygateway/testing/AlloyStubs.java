package com.alloygateway.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;

/** Alloy answers several WireMock tests start from. */
public final class AlloyStubs {

    private AlloyStubs() {
    }

    /** Every username looked up exists, with a fresh 24-hex user id (so each tenant provisions at once). */
    public static void everyUserExists(WireMockServer alloy) {
        alloy.stubFor(get(urlPathMatching("/users/.+")).willReturn(okJson("""
                {"userId":"{{randomValue length=24 type='HEXADECIMAL' lowercase=true}}"}""")
                .withTransformers("response-template")));
    }

    /** Shippo's createAddress: a POST whose body needs a zip. */
    public static void shippoCreateAddress(WireMockServer alloy) {
        alloy.stubFor(get("/connectors/shippo/actions/createAddress").willReturn(okJson("""
                {"action":{"id":"createAddress","displayName":"Create an address","httpMethod":"post",
                 "path":"/addresses","parameters":[],"requestBody":{"type":"object","required":["zip"]}}}""")));
    }

    /**
     * Connectors {@code [shippo]}, Shippo's createAddress, and one Shippo credential per user: {@code "s"} + the
     * caller's Alloy user id.
     */
    public static void shippoCredentialPerUser(WireMockServer alloy) {
        alloy.stubFor(get("/connectors").willReturn(okJson("""
                {"connectors":[{"id":"shippo","name":"Shippo"}]}""")));
        shippoCreateAddress(alloy);
        alloy.stubFor(get("/connectors/shippo/credentials").willReturn(okJson("""
                {"credentials":[{"credentialId":"s{{request.headers.x-alloy-userid}}","type":"shippo-apiKey"}]}""")
                .withTransformers("response-template")));
    }

    /**
     * Connectors {@code [shippo, hubspot]}, Shippo's createAddress (POST), HubSpot's listContacts (GET), and one
     * API-key credential per user and connector: {@code "s"} or {@code "h"} + the caller's Alloy user id.
     */
    public static void shippoAndHubSpotCredentialPerUser(WireMockServer alloy) {
        alloy.stubFor(get("/connectors").willReturn(okJson("""
                {"connectors":[{"id":"shippo","name":"Shippo"},{"id":"hubspot","name":"HubSpot"}]}""")));
        shippoCreateAddress(alloy);
        alloy.stubFor(get("/connectors/hubspot/actions/listContacts").willReturn(okJson("""
                {"action":{"id":"listContacts","displayName":"List contacts","httpMethod":"get",
                 "path":"/crm/v3/objects/contacts","parameters":[]}}""")));
        for (String connector : List.of("shippo", "hubspot")) {
            // "s" or "h" + the user id: one credential per user and connector.
            alloy.stubFor(get("/connectors/" + connector + "/credentials").willReturn(okJson("""
                    {"credentials":[{"credentialId":"%s{{request.headers.x-alloy-userid}}","type":"%s-apiKey"}]}"""
                    .formatted(connector.charAt(0), connector))
                    .withTransformers("response-template")));
        }
    }
}
