package com.alloygateway.db;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import com.alloygateway.support.Tracers;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Opens one Hibernate Reactive session per unit of work. Sessions are never looked up from the Vert.x
 * context: GraphQL resolves sibling fields in parallel on the same context, and one session must not be
 * shared between them (quarkus issue 32870). The execution path's units of work are single SQL statements on
 * the same pool instead ({@link #statement}): one round trip each, atomic by themselves.
 */
@ApplicationScoped
public class Database {

    private final Mutiny.SessionFactory sessions;
    private final Pool pool;
    private final Tracer tracer;

    Database(Mutiny.SessionFactory sessions, Pool pool, Tracers tracers) {
        this.sessions = sessions;
        this.pool = pool;
        this.tracer = tracers.tracer("com.alloygateway.db");
    }

    /**
     * Runs one SQL statement ({@code $1}-style parameters) on a pooled connection, in a transaction of its own
     * (PostgreSQL's autocommit: a statement whose common table expressions write to several tables commits or
     * fails as a whole). One round trip: the statement is parsed, bound and run in one exchange.
     */
    public Uni<RowSet<Row>> statement(String sql, Tuple arguments) {
        return traced("db statement", Uni.createFrom().deferred(() -> pool.preparedQuery(sql).execute(arguments)));
    }

    /** Runs {@code work} in a session of its own, without a transaction. */
    public <T> Uni<T> read(Function<Mutiny.Session, Uni<T>> work) {
        return traced("db read", sessions.openSession()
                .chain(session -> Uni.createFrom().deferred(() -> work.apply(session))
                        .eventually(session::close)));
    }

    /** Runs {@code work} in a transaction of a session of its own; it commits when the work succeeds. */
    public <T> Uni<T> write(Function<Mutiny.Session, Uni<T>> work) {
        return traced("db transaction", sessions.openSession()
                .chain(session -> session.withTransaction(tx -> work.apply(session))
                        .eventually(session::close)));
    }

    /**
     * Runs {@code work} like {@link #write} if this replica takes the transaction-scoped advisory lock {@code key}
     * at once ({@code pg_try_advisory_xact_lock}, released at commit or rollback); if another replica holds it,
     * answers {@code whenTaken} without running {@code work}: for jobs that one replica at a time does.
     */
    public <T> Uni<T> writeAlone(long key, T whenTaken, Function<Mutiny.Session, Uni<T>> work) {
        return write(s -> s.createNativeQuery("select pg_try_advisory_xact_lock(:key)", Boolean.class)
                .setParameter("key", key).getSingleResult()
                .chain(mine -> mine ? work.apply(s) : Uni.createFrom().item(whenTaken)));
    }

    /** A span for the unit of work, from opening the session to closing it. */
    private <T> Uni<T> traced(String name, Uni<T> unit) {
        return Uni.createFrom().deferred(() -> {
            Span span = tracer.spanBuilder(name).setSpanKind(SpanKind.CLIENT)
                    .setAttribute("db.system.name", "postgresql").startSpan();
            return unit.onItemOrFailure().invoke((item, failure) -> {
                if (failure != null) {
                    span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
                }
                span.end();
            }).onCancellation().invoke(span::end);
        });
    }
}
