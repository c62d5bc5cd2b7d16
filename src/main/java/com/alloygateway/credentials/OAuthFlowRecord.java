package com.alloygateway.credentials;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One OAuth consent, from {@code createCredential} to the browser's return (table {@code oauth_flow}). */
@Entity
@Table(name = "oauth_flow")
public class OAuthFlowRecord {

    @Id
    public String id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(name = "connector_id", nullable = false)
    public String connectorId;

    @Column(name = "authentication_type", nullable = false)
    public String authenticationType;

    /** The app's own redirect URI, where the browser is sent at the end. */
    @Column(name = "redirect_uri", nullable = false)
    public String redirectUri;

    /** The tenant's credential ids for the connector when the flow started, as a JSON array. */
    @Column(name = "known_credential_ids", nullable = false)
    public String knownCredentialIds;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public OAuthFlowStatus status;

    @Column(name = "credential_id")
    public String credentialId;

    @Column(name = "credential_name")
    public String credentialName;

    @Column(name = "credential_type")
    public String credentialType;

    @Column(name = "credential_created_at")
    public String credentialCreatedAt;

    @Column(name = "credential_updated_at")
    public String credentialUpdatedAt;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    /** The status as of {@code now}: a pending flow past its expiry is expired, written or not. */
    public OAuthFlowStatus statusAt(Instant now) {
        return status == OAuthFlowStatus.PENDING && !now.isBefore(expiresAt) ? OAuthFlowStatus.EXPIRED : status;
    }
}
