package com.alloygateway.credentials;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;

/** OAuth flows. Every method runs in the session it is given. */
@ApplicationScoped
public class OAuthFlowRepository {

    public Uni<Void> insert(Mutiny.Session session, OAuthFlowRecord flow) {
        return session.persist(flow).chain(session::flush);
    }

    public Uni<OAuthFlowRecord> find(Mutiny.Session session, String id) {
        return session.find(OAuthFlowRecord.class, id);
    }

    /**
     * Makes a pending flow final, once: 1 if this call did it, 0 if the flow was no longer pending (another
     * request finished it first).
     */
    public Uni<Integer> finish(Mutiny.Session session, String id, OAuthFlowStatus status, Credential credential,
            Instant now) {
        return session.createMutationQuery("""
                update OAuthFlowRecord set status = :status, finishedAt = :now, credentialId = :credentialId,
                    credentialName = :name, credentialType = :type, credentialCreatedAt = :createdAt,
                    credentialUpdatedAt = :updatedAt
                where id = :id and status = :pending""")
                .setParameter("status", status)
                .setParameter("now", now)
                .setParameter("credentialId", credential == null ? null : credential.id())
                .setParameter("name", credential == null ? null : credential.name())
                .setParameter("type", credential == null ? null : credential.type())
                .setParameter("createdAt", credential == null ? null : credential.createdAt())
                .setParameter("updatedAt", credential == null ? null : credential.updatedAt())
                .setParameter("id", id)
                .setParameter("pending", OAuthFlowStatus.PENDING)
                .executeUpdate();
    }

    /** Forgets flows that expired before {@code before}. */
    public Uni<Integer> purgeExpired(Mutiny.Session session, Instant before) {
        return session.createMutationQuery("delete from OAuthFlowRecord where expiresAt < :before")
                .setParameter("before", before)
                .executeUpdate();
    }
}
