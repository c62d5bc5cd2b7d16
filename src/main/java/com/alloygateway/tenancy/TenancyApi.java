package com.alloygateway.tenancy;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

import io.smallrye.mutiny.Uni;

/** Who the caller is, and its Alloy user. */
@GraphQLApi
public class TenancyApi {

    private final TenancyService tenancy;

    TenancyApi(TenancyService tenancy) {
        this.tenancy = tenancy;
    }

    @Query("me")
    @Description("The signed-in tenant and whether it has an Alloy user yet.")
    public Uni<@NonNull Me> me() {
        return tenancy.me();
    }

    @Mutation("createUser")
    @Description("Gives the tenant its Alloy user. Idempotent: calling it again returns the same user.")
    public Uni<@NonNull Me> createUser(
            @Description("Optional display name sent to Alloy (at most 256 characters).") String fullName) {
        return tenancy.createUser(fullName);
    }
}
