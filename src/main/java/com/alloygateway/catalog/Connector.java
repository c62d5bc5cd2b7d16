package com.alloygateway.catalog;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

@Type("Connector")
@Description("A packaged integration with a third-party app (HubSpot, Slack, Notion…).")
public record Connector(
        @NonNull @Id @Description("Alloy's connector id, e.g. `hubspot`; pass it as `connectorId` elsewhere.") String id,
        @NonNull @Description("Display name.") String name,
        @Description("URL of the connector's logo.") String icon,
        @NonNull @Description("Alloy's groups the connector belongs to, e.g. `input`.") List<@NonNull String> groups,
        @NonNull @Description("Categories, e.g. `crm`.") List<@NonNull String> categories) {
}
