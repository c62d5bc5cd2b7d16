package com.alloygateway.catalog;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

@Type("Resource")
@Description("An entity of a connector (contacts, orders…) and the actions on it.")
public record Resource(
        @NonNull @Description("Resource name, e.g. `contacts`.") String name,
        @Description("What the resource is.") String description,
        @NonNull @Description("Actions available on the resource.") List<@NonNull ActionSummary> actions) {
}
