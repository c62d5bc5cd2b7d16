package com.alloygateway.credentials;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

import io.smallrye.mutiny.Uni;

/** The caller's credentials: only ever its own. */
@GraphQLApi
public class CredentialsApi {

    private final CredentialsService credentials;

    CredentialsApi(CredentialsService credentials) {
        this.credentials = credentials;
    }

    @Query("credentials")
    @Description("The caller's credentials, for one connector or all. Read from Alloy on every request.")
    public Uni<@NonNull List<@NonNull Credential>> credentials(
            @Id @Description("Only this connector's credentials.") String connectorId) {
        return credentials.list(connectorId);
    }

    @Mutation("createCredential")
    @Description("Connects the caller to a third-party app: a credential at once, or an OAuth URL to open.")
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
