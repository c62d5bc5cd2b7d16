package com.alloygateway.execution;

import jakarta.json.JsonValue;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

@Input("ExecuteActionInput")
@Description("An action to run with one of the caller's credentials; checked against the action's schema first.")
public class ExecuteActionInput {

    @NonNull
    @Id
    public String connectorId;

    @NonNull
    @Id
    public String actionId;

    @NonNull
    @Id
    @Description("One of the caller's credentials for the connector.")
    public String credentialId;

    @Description("Query parameters: an object of the action's `in: query` parameters.")
    public JsonValue queryParameters;

    @Description("Path parameters: an object filling the `{name}` placeholders of the action's path.")
    public JsonValue pathParams;

    @Description("The body, checked against the action's `requestBody` JSON Schema.")
    public JsonValue requestBody;

    @Description("Extra headers for the third party: an object of string values.")
    public JsonValue additionalHeaders;

    @Description("At most 255 characters. A repeat with the same input within 24 hours returns the first execution without running it again.")
    public String idempotencyKey;
}
