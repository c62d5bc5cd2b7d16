package com.alloygateway.catalog;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.alloygateway.testing.GraphQL;
import com.alloygateway.testing.Tokens;

import io.quarkus.test.junit.QuarkusTest;

/** The catalog queries against the embedded Alloy sandbox, as a frontend calls them. */
@QuarkusTest
class CatalogTest {

    private final String token = Tokens.of("catalog-reader");

    @Test
    void listsEveryConnectorWithItsGroupsAndCategories() {
        GraphQL.ok(token, """
                query { connectors { id name icon groups categories } }
                """, Map.of())
                .body("data.connectors.id", hasItems("hubspot", "slack", "notion", "shopify", "shippo"))
                .body("data.connectors.find { it.id == 'hubspot' }.name", equalTo("HubSpot"))
                .body("data.connectors.find { it.id == 'hubspot' }.groups", equalTo(List.of("input")))
                .body("data.connectors.find { it.id == 'hubspot' }.categories", hasItem("crm"))
                .body("data.connectors.find { it.id == 'hubspot' }.icon", notNullValue());
    }

    @Test
    void filtersByCategoryGroupAndSearchIgnoringCase() {
        String query = """
                query($category: String, $group: String, $search: String) {
                  connectors(category: $category, group: $group, search: $search) { id }
                }
                """;
        GraphQL.ok(token, query, Map.of("category", "ECOMMERCE"))
                .body("data.connectors.id", containsInAnyOrder("shopify", "shippo"));
        GraphQL.ok(token, query, Map.of("group", "output"))
                .body("data.connectors.id", containsInAnyOrder("slack", "notion", "shippo", "zendesk"));
        GraphQL.ok(token, query, Map.of("search", "HUB"))
                .body("data.connectors.id", equalTo(List.of("hubspot")));
        GraphQL.ok(token, query, Map.of("category", "ecommerce", "group", "input"))
                .body("data.connectors.id", equalTo(List.of("shopify")));
        GraphQL.ok(token, query, Map.of("search", "no such connector"))
                .body("data.connectors", empty());
    }

    @Test
    void connectorByIdOrNull() {
        String query = "query($id: ID!) { connector(id: $id) { id name } }";
        GraphQL.ok(token, query, Map.of("id", "slack")).body("data.connector.name", equalTo("Slack"));
        GraphQL.ok(token, query, Map.of("id", "nope")).body("data.connector", nullValue());
    }

    @Test
    void resourcesOfAConnectorAndNotFoundForAnUnknownOne() {
        String query = """
                query($c: ID!) { resources(connectorId: $c) { name description actions { id name description } } }
                """;
        GraphQL.ok(token, query, Map.of("c", "hubspot"))
                .body("data.resources[0].name", equalTo("contacts"))
                .body("data.resources[0].actions.id", hasItems("createContact", "listContacts", "getContact"));
        GraphQL.post(token, query, Map.of("c", "unknownConnector"))
                .statusCode(200)
                .body("errors[0].extensions.code", equalTo("NOT_FOUND"))
                .body("errors[0].path", equalTo(List.of("resources")));
    }

    @Test
    void actionDetailsAreRealJson() {
        String query = """
                query($c: ID!, $id: ID!) {
                  action(connectorId: $c, id: $id) {
                    id connectorId displayName description httpMethod path parameters requestBody sampleSuccessResponse
                  }
                }
                """;
        GraphQL.ok(token, query, Map.of("c", "hubspot", "id", "createContact"))
                .body("data.action.httpMethod", equalTo("post"))
                .body("data.action.path", equalTo("/crm/v3/objects/contacts"))
                .body("data.action.connectorId", equalTo("hubspot"))
                .body("data.action.parameters", empty())
                .body("data.action.requestBody.type", equalTo("object"))
                .body("data.action.requestBody.required", equalTo(List.of("properties")))
                .body("data.action.requestBody.properties.properties.required",
                        hasItems("email", "firstname", "lastname"))
                .body("data.action.sampleSuccessResponse.archived", equalTo(false));
        GraphQL.ok(token, query, Map.of("c", "hubspot", "id", "getContact"))
                .body("data.action.parameters[0].name", equalTo("contactId"))
                .body("data.action.parameters[0].in", equalTo("path"))
                .body("data.action.parameters[0].required", equalTo(true))
                .body("data.action.requestBody", nullValue());
    }

    @Test
    void unknownActionOrConnectorIsNull() {
        String query = "query($c: ID!, $id: ID!) { action(connectorId: $c, id: $id) { id } }";
        GraphQL.ok(token, query, Map.of("c", "hubspot", "id", "noSuchAction")).body("data.action", nullValue());
        GraphQL.ok(token, query, Map.of("c", "noSuchConnector", "id", "createContact"))
                .body("data.action", nullValue());
    }

    @Test
    void malformedIdsAreInvalidInput() {
        GraphQL.post(token, "query($c: ID!) { resources(connectorId: $c) { name } }", Map.of("c", "../users"))
                .statusCode(200)
                .body("errors[0].extensions.code", equalTo("INVALID_INPUT"))
                .body("errors[0].extensions.violations[0].path", equalTo("/connectorId"));
    }

    @Test
    void credentialRequirementsInBothOfAlloysForms() {
        String query = """
                query($c: ID!) {
                  credentialRequirements(connectorId: $c) {
                    authenticationType authConfigRequired inputSchema sampleInput dataSchema sampleData
                  }
                }
                """;
        // The documented form: inputSchema and sampleInput describe the whole create body, as Alloy gives them;
        // dataSchema and sampleData are their `data` parts.
        GraphQL.ok(token, query, Map.of("c", "shippo"))
                .body("data.credentialRequirements[0].authenticationType", equalTo("apiKey"))
                .body("data.credentialRequirements[0].inputSchema.required",
                        equalTo(List.of("userId", "authenticationType", "data")))
                .body("data.credentialRequirements[0].inputSchema.properties.data.required", equalTo(List.of("apiKey")))
                .body("data.credentialRequirements[0].sampleInput.authenticationType", equalTo("apiKey"))
                .body("data.credentialRequirements[0].sampleInput.data.apiKey", equalTo("shippo_test_0123456789"))
                .body("data.credentialRequirements[0].dataSchema.required", equalTo(List.of("apiKey")))
                .body("data.credentialRequirements[0].dataSchema.properties.apiKey.minLength", equalTo(8))
                .body("data.credentialRequirements[0].sampleData", equalTo(Map.of("apiKey", "shippo_test_0123456789")));
        GraphQL.ok(token, query, Map.of("c", "hubspot"))
                .body("data.credentialRequirements[0].inputSchema.required",
                        equalTo(List.of("userId", "authenticationType", "redirectUri")))
                .body("data.credentialRequirements[0].sampleInput.redirectUri", notNullValue())
                .body("data.credentialRequirements[0].dataSchema", nullValue())
                .body("data.credentialRequirements[0].sampleData", nullValue());
        GraphQL.ok(token, query, Map.of("c", "shopify"))
                .body("data.credentialRequirements[0].dataSchema.required", equalTo(List.of("shopSubdomain")))
                .body("data.credentialRequirements[0].sampleData.shopSubdomain", equalTo("acme-store"));
        GraphQL.ok(token, query, Map.of("c", "zendesk"))
                .body("data.credentialRequirements[0].authConfigRequired", equalTo(true))
                .body("data.credentialRequirements[0].inputSchema.required", hasItem("authConfigId"));
        // Notion's metadata comes in the seed's older `properties` form: request fields (userId, redirectUri) at
        // the top of the body's schema, the connector's own fields under data, and only those in dataSchema.
        GraphQL.ok(token, query, Map.of("c", "notion"))
                .body("data.credentialRequirements[0].authenticationType", equalTo("oauth2"))
                .body("data.credentialRequirements[0].inputSchema.required", equalTo(List.of("userId", "redirectUri")))
                .body("data.credentialRequirements[0].inputSchema.properties.data.properties.workspaceName.type",
                        equalTo("string"))
                .body("data.credentialRequirements[0].dataSchema.properties.keySet()", equalTo(Set.of("workspaceName")))
                .body("data.credentialRequirements[0].sampleInput", nullValue());
        GraphQL.post(token, query, Map.of("c", "nope"))
                .body("errors[0].extensions.code", equalTo("NOT_FOUND"));
    }

    @Test
    void theWholeTreeInOneQuery() {
        GraphQL.ok(token, """
                query {
                  connectors {
                    id
                    credentialRequirements { authenticationType }
                    resources { name actions { id connectorId details { httpMethod path parameters } } }
                  }
                }
                """, Map.of())
                .body("data.connectors", hasSize(6))
                .body("data.connectors.resources.flatten().actions.flatten().details", everyItem(notNullValue()))
                .body("data.connectors.find { it.id == 'notion' }.resources.actions.flatten().id",
                        hasItems("post-search", "retrieve-a-page"))
                .body("data.connectors.find { it.id == 'slack' }.resources[0].actions[0].details.httpMethod",
                        equalTo("post"))
                .body("data.connectors.credentialRequirements.flatten()", not(empty()));
    }
}
