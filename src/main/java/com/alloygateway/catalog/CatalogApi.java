package com.alloygateway.catalog;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;

import io.smallrye.mutiny.Uni;

/** The connector catalog: what can be connected and what can be done with it. Account-wide and cached. */
@GraphQLApi
public class CatalogApi {

    private final CatalogService catalog;

    CatalogApi(CatalogService catalog) {
        this.catalog = catalog;
    }

    @Query("connectors")
    @Description("Connectors Alloy offers, optionally filtered (case-insensitive) by category, group, or a search in id and name.")
    public Uni<@NonNull List<@NonNull Connector>> connectors(
            @Description("Keep connectors with this category, e.g. `crm`.") String category,
            @Description("Keep connectors in this group, e.g. `input`.") String group,
            @Description("Keep connectors whose id or name contains this text.") String search) {
        return catalog.connectors(category, group, search);
    }

    @Query("connector")
    @Description("One connector, or null if Alloy does not know the id.")
    public Uni<Connector> connector(@NonNull @Id @Description("Connector id, e.g. `hubspot`.") String id) {
        return catalog.connector(id);
    }

    @Query("resources")
    @Description("The connector's resources and their actions. NOT_FOUND for an unknown connector.")
    public Uni<@NonNull List<@NonNull Resource>> resources(
            @NonNull @Id @Description("Connector id, e.g. `hubspot`.") String connectorId) {
        return catalog.resources(connectorId);
    }

    @Query("action")
    @Description("An action's method, path, parameters and schemas; null if the connector or action is unknown.")
    public Uni<Action> action(@NonNull @Id @Description("Connector id, e.g. `hubspot`.") String connectorId,
            @NonNull @Id @Description("Action id, e.g. `createContact`.") String id) {
        return catalog.action(connectorId, id);
    }

    @Query("credentialRequirements")
    @Description("The ways to authenticate with the connector. NOT_FOUND for an unknown connector.")
    public Uni<@NonNull List<@NonNull CredentialRequirement>> credentialRequirements(
            @NonNull @Id @Description("Connector id, e.g. `hubspot`.") String connectorId) {
        return catalog.credentialRequirements(connectorId);
    }

    @Name("resources")
    @NonNull
    @Description("The connector's resources and their actions.")
    public Uni<List<@NonNull List<@NonNull Resource>>> connectorResources(@Source List<Connector> connectors) {
        return catalog.resourcesOf(connectors);
    }

    @Name("credentialRequirements")
    @NonNull
    @Description("The ways to authenticate with the connector.")
    public Uni<List<@NonNull List<@NonNull CredentialRequirement>>> connectorCredentialRequirements(
            @Source List<Connector> connectors) {
        return catalog.requirementsOf(connectors);
    }

    @Name("details")
    @Description("The action's full details (method, path, schemas); null if Alloy no longer knows it.")
    public Uni<List<Action>> details(@Source List<ActionSummary> summaries) {
        return catalog.detailsOf(summaries);
    }
}
