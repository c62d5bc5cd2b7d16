package com.alloygateway.catalog;

import jakarta.json.JsonValue;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

@Type("CredentialRequirement")
@Description("One way to authenticate with a connector, and what it needs.")
public record CredentialRequirement(
        @NonNull @Description("Pass as `authenticationType` to `createCredential`, e.g. `oauth2`.") String authenticationType,
        @Description("Whether `authConfigId` must be given.") Boolean authConfigRequired,
        @Description("JSON Schema of `createCredential`'s `data` for this type.") JsonValue inputSchema,
        @Description("An example of `data`.") JsonValue sampleInput) {
}
