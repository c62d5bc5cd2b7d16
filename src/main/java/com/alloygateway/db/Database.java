package com.alloygateway.db;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;

/**
 * Opens one Hibernate Reactive session per unit of work. Sessions are never looked up from the Vert.x
 * context: GraphQL resolves sibling fields in parallel on the same context, and one session must not be
 * shared between them (quarkus issue 32870).
 */
@ApplicationScoped
public class Database {

    private final Mutiny.SessionFactory sessions;

    Database(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    /** Runs {@code work} in a session of its own, without a transaction. */
    public <T> Uni<T> read(Function<Mutiny.Session, Uni<T>> work) {
        return sessions.openSession()
                .chain(session -> Uni.createFrom().deferred(() -> work.apply(session))
                        .eventually(session::close));
    }

    /** Runs {@code work} in a transaction of a session of its own; it commits when the work succeeds. */
    public <T> Uni<T> write(Function<Mutiny.Session, Uni<T>> work) {
        return sessions.openSession()
                .chain(session -> session.withTransaction(tx -> work.apply(session))
                        .eventually(session::close));
    }
}
