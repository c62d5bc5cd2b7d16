package com.alloygateway.tenancy;

/** A tenant that has an Alloy user: what every user-scoped operation needs. */
public record ProvisionedTenant(Tenant tenant, String alloyUserId) {

    public String tenantId() {
        return tenant.id();
    }
}
