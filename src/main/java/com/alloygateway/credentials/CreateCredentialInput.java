package com.alloygateway.credentials;

import jakarta.json.JsonValue;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

@Input("CreateCredentialInput")
@Description("A credential to create; `credentialRequirements` says what each authentication type needs.")
public class CreateCredentialInput {

    @NonNull
    @Id
    @Description("The connector, e.g. `shippo`.")
    public String connectorId;

    @NonNull
    @Description("One of the connector's `credentialRequirements.authenticationType`.")
    public String authenticationType;

    @Description("For OAuth: where the browser goes after consent (absolute http(s) URL).")
    public String redirectUri;

    @Description("Required where the requirement says `authConfigRequired`.")
    public String authConfigId;

    @Description("Connector-specific fields (an API key, `shopSubdomain`…), checked against `inputSchema`.")
    public JsonValue data;
}
