package com.alloygateway.credentials;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A refused attempt on an id the caller does not own, kept in the caller's own log. */
@Entity
@Table(name = "audit_event")
public class AuditEvent {

    public static final String CREDENTIAL_DENIED = "CREDENTIAL_DENIED";

    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String operation;

    @Column(name = "connector_id")
    public String connectorId;

    @Column(name = "target_id")
    public String targetId;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    public static AuditEvent credentialDenied(String tenantId, String operation, String connectorId,
            String credentialId) {
        AuditEvent e = new AuditEvent();
        e.id = UUID.randomUUID();
        e.tenantId = tenantId;
        e.kind = CREDENTIAL_DENIED;
        e.operation = operation;
        e.connectorId = connectorId;
        e.targetId = credentialId;
        e.occurredAt = Instant.now();
        return e;
    }
}
