package com.alloygateway.catalog;

import jakarta.json.JsonValue;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

@Type("Action")
@Description("An operation on a third-party app, with what it needs to be executed.")
public record Action(
        @NonNull @Id @Description("Action id.") String id,
        @NonNull @Id @Description("The connector the action belongs to.") String connectorId,
        @NonNull @Description("Display name.") String displayName,
        @Description("What the action does.") String description,
        @NonNull @Description("The third party's HTTP method, lower case (`get`, `post`…).") String httpMethod,
        @NonNull @Description("The third party's path, with `{name}` placeholders filled from `pathParams`.") String path,
        @NonNull @Description("OpenAPI-style parameters: `[{name, in: query|path|header, required, description, schema}]`.") JsonValue parameters,
        @Description("JSON Schema of the request body, if the action takes one.") JsonValue requestBody,
        @Description("An example of what a successful execution returns.") JsonValue sampleSuccessResponse) {
}
