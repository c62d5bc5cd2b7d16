package com.alloygateway.credentials;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Which tenant owns a credential: recorded when the gateway creates or first lists it. */
@Entity
@Table(name = "credential_ownership")
public class CredentialOwnership {

    @Id
    @Column(name = "credential_id")
    public String credentialId;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(name = "connector_id", nullable = false)
    public String connectorId;

    @Column(name = "authentication_type")
    public String authenticationType;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;

    public static CredentialOwnership of(String credentialId, String tenantId, String connectorId,
            String authenticationType) {
        CredentialOwnership o = new CredentialOwnership();
        o.credentialId = credentialId;
        o.tenantId = tenantId;
        o.connectorId = connectorId;
        o.authenticationType = authenticationType;
        o.recordedAt = Instant.now();
        return o;
    }
}
