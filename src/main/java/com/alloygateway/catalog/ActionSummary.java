package com.alloygateway.catalog;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

@Type("ActionSummary")
@Description("An action as a resource lists it; `details` loads its method, path and schemas.")
public record ActionSummary(
        @NonNull @Id @Description("Action id, e.g. `createContact`; pass it as `actionId`.") String id,
        @NonNull @Id @Description("The connector the action belongs to.") String connectorId,
        @NonNull @Description("Display name.") String name,
        @Description("What the action does.") String description) {
}
