package com.alloygateway.credentials;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

import io.smallrye.graphql.api.Subscription;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** The caller's credentials and OAuth consents: only ever its own. */
@GraphQLApi
public class CredentialsApi {

    private final CredentialsService credentials;
    private final OAuthFlowService flows;

    CredentialsApi(CredentialsService credentials, OAuthFlowService flows) {
        this.credentials = credentials;
        this.flows = flows;
    }

    @Query("credentials")
    @Description("The caller's credentials, for one connector or all. Read from Alloy on every request.")
    public Uni<@NonNull List<@NonNull Credential>> credentials(
            @Id @Description("Only this connector's credentials.") String connectorId) {
        return credentials.list(connectorId);
    }

    @Query("credential")
    @Description("One of the caller's credentials, whatever its connector; null for any other id.")
    public Uni<Credential> credential(@NonNull @Id @Description("The credential's id.") String id) {
        return credentials.credential(id);
    }

    @Query("oauthFlow")
    @Description("One of the caller's OAuth consents; null for any other id.")
    public Uni<OAuthFlow> oauthFlow(@NonNull @Id @Description("The flow's id (`oauthFlow.id`, or `flowId` on the app's redirect).") String id) {
        return flows.find(id);
    }

    @Subscription("oauthFlow")
    @Description("One of the caller's OAuth consents: its state now, then each change; ends after the first final state (CONNECTED, FAILED, EXPIRED). For any other id (or without a signed-in caller) the stream ends at once, without an event.")
    public Multi<@NonNull OAuthFlow> watchOAuthFlow(@NonNull @Id @Description("The flow's id.") String id) {
        return flows.watch(id);
    }

    @Mutation("createCredential")
    @Description("Connects the caller to a third-party app: a credential at once, or for OAuth a consent URL to open and a flow to watch.")
    public Uni<@NonNull CredentialStart> createCredential(@NonNull CreateCredentialInput input) {
        return credentials.create(input);
    }

    @Mutation("deleteCredential")
    @Description("Deletes one of the caller's credentials. NOT_FOUND for an id that is not the caller's.")
    public Uni<@NonNull Boolean> deleteCredential(
            @NonNull @Id @Description("The credential's connector.") String connectorId,
            @NonNull @Id @Description("The credential.") String id) {
        return credentials.delete(connectorId, id);
    }
}
