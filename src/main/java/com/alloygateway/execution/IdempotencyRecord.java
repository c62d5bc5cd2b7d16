package com.alloygateway.execution;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** An idempotency key of a tenant: the execution it started and, once done, the answer to replay. */
@Entity
@Table(name = "idempotency_record")
@IdClass(IdempotencyRecord.Key.class)
public class IdempotencyRecord {

    public static final String IN_FLIGHT = "IN_FLIGHT";
    public static final String COMPLETED = "COMPLETED";

    @Id
    @Column(name = "tenant_id")
    public String tenantId;

    @Id
    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(nullable = false)
    public String fingerprint;

    @Column(name = "execution_id", nullable = false)
    public UUID executionId;

    @Column(nullable = false)
    public String state;

    /** The third party's payload of a successful execution, as JSON text, for replays within 24 hours. */
    @Column(name = "response_data", columnDefinition = "text")
    public String responseData;

    /** The execution succeeded but its payload was too large to keep: a replay says so instead of answering it. */
    @Column(name = "response_omitted", nullable = false)
    public boolean responseOmitted;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    public static class Key implements Serializable {
        public String tenantId;
        public String idempotencyKey;

        public Key() {
        }

        public Key(String tenantId, String idempotencyKey) {
            this.tenantId = tenantId;
            this.idempotencyKey = idempotencyKey;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(tenantId, k.tenantId)
                    && Objects.equals(idempotencyKey, k.idempotencyKey);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenantId, idempotencyKey);
        }
    }
}
