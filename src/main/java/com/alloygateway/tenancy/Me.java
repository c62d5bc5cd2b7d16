package com.alloygateway.tenancy;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

@Type("Me")
@Description("The signed-in tenant and its Alloy user.")
public record Me(
        @NonNull @Description("Opaque, stable id of the tenant (derived from the token's issuer and tenancy claim).") String tenant,
        @NonNull @Description("The token's claim that names the tenant (`sub` unless configured).") String subject,
        @NonNull @Description("Whether `createUser` has given the tenant an Alloy user.") Boolean provisioned,
        @Id @Description("The tenant's Alloy user id, once provisioned.") String alloyUserId) {
}
