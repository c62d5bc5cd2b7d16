package com.alloygateway.tenancy;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A tenant and, once provisioned, its Alloy user. */
@Entity
@Table(name = "tenant_user")
public class TenantUser {

    @Id
    @Column(name = "tenant_id")
    public String tenantId;

    @Column(nullable = false)
    public String issuer;

    @Column(nullable = false)
    public String subject;

    @Column(name = "alloy_username", nullable = false)
    public String alloyUsername;

    @Column(name = "alloy_user_id")
    public String alloyUserId;

    @Column(name = "full_name")
    public String fullName;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "provisioned_at")
    public Instant provisionedAt;

    /** While a createUser call is provisioning: since when. */
    @Column(name = "provisioning_claimed_at")
    public Instant provisioningClaimedAt;

    public boolean provisioned() {
        return alloyUserId != null;
    }
}
