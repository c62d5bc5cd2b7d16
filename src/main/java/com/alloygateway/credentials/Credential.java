package com.alloygateway.credentials;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

@Type("Credential")
@Description("The caller's authentication with a third-party app.")
public record Credential(
        @NonNull @Id @Description("Alloy's credential id; pass it as `credentialId`.") String id,
        @NonNull @Id @Description("The connector it authenticates with.") String connectorId,
        @Description("Display name, e.g. `Jane's HubSpot`.") String name,
        @Description("`<connectorId>-<authenticationType>`, e.g. `hubspot-oauth2`.") String type,
        @Description("ISO-8601 UTC.") String createdAt,
        @Description("ISO-8601 UTC.") String updatedAt) {
}
