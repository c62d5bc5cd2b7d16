package com.alloygateway.execution;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One row of the execution audit log. Third-party payloads are never stored here. */
@Entity
@Table(name = "execution")
public class ExecutionRecord {

    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(name = "connector_id", nullable = false)
    public String connectorId;

    @Column(name = "action_id", nullable = false)
    public String actionId;

    @Column(name = "credential_id", nullable = false)
    public String credentialId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ExecutionStatus status;

    @Column(name = "upstream_status")
    public Integer upstreamStatus;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "duration_ms", nullable = false)
    public int durationMs;

    @Column(name = "error_code")
    public String errorCode;

    @Column(name = "error_source")
    public String errorSource;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
