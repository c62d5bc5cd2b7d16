package com.alloygateway.execution;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.alloygateway.db.Database;
import com.alloygateway.graphql.GatewayException;
import com.alloygateway.validation.Ids;
import com.alloygateway.tenancy.TenancyService;

import io.smallrye.mutiny.Uni;

/**
 * The caller's executions, newest first, with keyset pagination: a cursor is the position (start time,
 * id) of an execution, so pages never overlap or skip, whatever is written meanwhile.
 */
@ApplicationScoped
public class ExecutionLog {

    private static final String CURSOR_VERSION = "v1";

    private final TenancyService tenancy;
    private final Database db;
    private final ExecutionRepository repository;
    private final ExecutionConfig config;

    ExecutionLog(TenancyService tenancy, Database db, ExecutionRepository repository, ExecutionConfig config) {
        this.tenancy = tenancy;
        this.db = db;
        this.repository = repository;
        this.config = config;
    }

    public Uni<ExecutionConnection> page(String connectorId, String actionId, ExecutionStatus status, Integer first,
            String after) {
        int size = first == null ? 20 : first;
        if (size < 1 || size > config.maxPageSize()) {
            throw GatewayException.invalidInput("/first", "must be between 1 and " + config.maxPageSize());
        }
        if (connectorId != null) {
            Ids.requireName(connectorId, "connectorId");
        }
        if (actionId != null) {
            Ids.requireName(actionId, "actionId");
        }
        Position position = after == null ? null : decode(after);
        return tenancy.requireProvisioned().chain(me -> db.read(s -> repository.page(s, me.tenantId(), connectorId,
                actionId, status, position == null ? null : position.startedAt(),
                position == null ? null : position.id(), size + 1)))
                .map(rows -> {
                    boolean more = rows.size() > size;
                    List<ExecutionEdge> edges = new ArrayList<>(Math.min(rows.size(), size));
                    for (ExecutionRecord row : rows.subList(0, Math.min(rows.size(), size))) {
                        edges.add(new ExecutionEdge(encode(row), Execution.of(row)));
                    }
                    String start = edges.isEmpty() ? null : edges.get(0).cursor();
                    String end = edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor();
                    return new ExecutionConnection(edges, new PageInfo(more, end, position != null, start));
                });
    }

    /** One of the caller's executions, else null (another tenant's id reads as unknown). */
    public Uni<Execution> find(String id) {
        UUID uuid;
        try {
            uuid = id == null || id.length() != 36 ? null : UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            uuid = null;
        }
        if (uuid == null) {
            throw GatewayException.invalidInput("/id", "is not an execution id");
        }
        UUID executionId = uuid;
        return tenancy.requireProvisioned().chain(me -> db.read(s -> repository.find(s, executionId))
                .map(row -> row == null || !row.tenantId.equals(me.tenantId()) ? null : Execution.of(row)));
    }

    record Position(Instant startedAt, UUID id) {
    }

    static String encode(ExecutionRecord row) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, row.startedAt);
        String raw = CURSOR_VERSION + ":" + micros + ":" + row.id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Position decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            if (parts.length != 3 || !parts[0].equals(CURSOR_VERSION)) {
                throw new IllegalArgumentException("not a cursor");
            }
            long micros = Long.parseLong(parts[1]);
            Instant startedAt = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
            if (micros < 0 || startedAt.isAfter(Instant.now().plus(1, ChronoUnit.DAYS))) {
                throw new IllegalArgumentException("out of range");
            }
            return new Position(startedAt, UUID.fromString(parts[2]));
        } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
            // Out of range as much as malformed: a cursor this list never gave out.
            throw GatewayException.invalidInput("/after", "is not a cursor of this list");
        }
    }
}
