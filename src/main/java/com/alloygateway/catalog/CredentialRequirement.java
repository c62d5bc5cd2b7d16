package com.alloygateway.catalog;

import jakarta.json.JsonValue;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

@Type("CredentialRequirement")
@Description("One way to authenticate with a connector, and what it needs. A form for the end user renders `dataSchema`.")
public record CredentialRequirement(
        @NonNull @Description("Pass as `authenticationType` to `createCredential`, e.g. `oauth2`.") String authenticationType,
        @Description("Whether `authConfigId` must be given.") Boolean authConfigRequired,
        @Description("Alloy's JSON Schema of the whole create-credential body (`userId`, `authenticationType`, `redirectUri`, `data`…), as Alloy gives it. The gateway fills in `userId` and `authenticationType` itself.") JsonValue inputSchema,
        @Description("Alloy's example of that whole body, as Alloy gives it.") JsonValue sampleInput,
        @Description("JSON Schema of what the caller puts in `createCredential`'s `data` (an API key, `shopSubdomain`…); null when the type needs no data.") JsonValue dataSchema,
        @Description("An example of `data`, where Alloy gives one.") JsonValue sampleData) {
}
