package com.alloygateway.soak;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import com.alloygateway.sandbox.SandboxJournal.Executed;
import com.alloygateway.soak.Outcome.Op;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The soak's invariants, checked after the run against what the clients were told, the gateway's
 * {@code execution} rows and the sandbox's record of the executes that ran: every execute request has exactly
 * one row and no row is unexplained; no idempotency key ran upstream twice, and what ran is what the rows say
 * ran; no row, listing or upstream call crosses tenants; every error is of a kind the injected faults explain.
 * Each broken invariant is a {@link #violations() violation}, by kind, with the first few examples.
 */
final class SoakChecks {

    /** One row of {@code execution}. */
    record Row(String id, String tenantId, String status, String errorCode, String errorSource, String key,
            String credentialId, int attempts) {

        /** The key may be used again: nothing ran (a 429 past the deadline, nothing sent). */
        boolean released() {
            return "FAILED".equals(status) && ("RATE_LIMITED".equals(errorCode)
                    || "UPSTREAM_UNAVAILABLE".equals(errorCode));
        }

        /**
         * Whether the row says the action ran at the third party: it succeeded, or it failed at the third party
         * (the sandbox's 502 after the action). An UNKNOWN row (no answer in time) may have run or not.
         */
        int ranUpstream() {
            return "SUCCEEDED".equals(status) || "FAILED".equals(status) && "THIRD_PARTY".equals(errorSource) ? 1 : 0;
        }

        boolean unknown() {
            return "UNKNOWN".equals(status);
        }
    }

    private static final int EXAMPLES = 5;
    /** Errors an execute may get before its row is written, so without an executionId. */
    private static final Set<String> BEFORE_ROW = Set.of("IDEMPOTENCY_CONFLICT", "UPSTREAM_ERROR",
            "UPSTREAM_UNAVAILABLE", "RATE_LIMITED");

    private final Map<String, List<String>> violations = new TreeMap<>();
    private final Map<String, Integer> counts = new TreeMap<>();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Integer> withoutRow = new TreeMap<>();
    private int unknownRows;
    private int unknownRan;

    Map<String, List<String>> violations() {
        return violations;
    }

    Map<String, Integer> counts() {
        return counts;
    }

    /** Execute answers with no executionId (and no row), by code and reason. */
    Map<String, Integer> withoutRow() {
        return withoutRow;
    }

    /** Of the UNKNOWN rows met in {@link #upstream}: how many there were, and how many of them ran. */
    int unknownRows() {
        return unknownRows;
    }

    int unknownRan() {
        return unknownRan;
    }

    int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    void violation(String kind, String example) {
        counts.merge(kind, 1, Integer::sum);
        List<String> examples = violations.computeIfAbsent(kind, k -> new ArrayList<>());
        if (examples.size() < EXAMPLES) {
            examples.add(example);
        }
    }

    // ---- errors: only of the kinds the faults explain ----

    /** Why an answer's error is not one the injected faults explain, or null if it is. */
    static String unexplained(Outcome o) {
        if (o.ok()) {
            return null;
        }
        if (o.httpStatus() != 200) {
            return "HTTP " + o.httpStatus() + " " + o.code();
        }
        return switch (o.code()) {
            // Alloy's 5xx (injected 503 before an action, or the third party's 500 after it), not retried
            // for a write, or still failing after a read's retries.
            case "UPSTREAM_ERROR" -> o.upstreamStatus() != null && o.upstreamStatus() >= 500 ? null
                    : "UPSTREAM_ERROR with httpStatusCode " + o.upstreamStatus();
            // A slow answer past the attempt timeout (a replay of such an execution carries no reason), or the
            // breaker those timeouts and the 5xx opened (docs/errors-and-resilience.md: both count against it).
            case "UPSTREAM_UNAVAILABLE" -> o.replayed() || "TIMEOUT".equals(o.reason())
                    || "BREAKER_OPEN".equals(o.reason()) ? null : "UPSTREAM_UNAVAILABLE with reason " + o.reason();
            // Alloy's 429s outlasting the retries; the gateway's own limits (a reason) are not expected.
            case "RATE_LIMITED" -> o.reason() == null ? null : "RATE_LIMITED with reason " + o.reason();
            case "IDEMPOTENCY_CONFLICT" -> o.op().execute() && o.key() != null ? null
                    : "IDEMPOTENCY_CONFLICT for " + o.op();
            default -> o.code();
        };
    }

    void errors(Collection<Outcome> outcomes) {
        for (Outcome o : outcomes) {
            String why = unexplained(o);
            if (why != null) {
                violation("error not of an injected kind", o.op() + " of " + o.tenant().subject + ": " + why);
            }
        }
    }

    // ---- requests and rows ----

    /** Every execute answer names exactly one row of its own tenant, key and credential, with its outcome. */
    void requestsToRows(Collection<Outcome> outcomes, Map<String, Row> rows) {
        Set<String> noKeyIds = new HashSet<>();
        for (Outcome o : outcomes) {
            if (!o.op().execute()) {
                continue;
            }
            if (o.executionId() == null) {
                // No row: a conflict, or Alloy failing in a look-up before the row (the action's details, out of
                // the cache). Nothing may have run for it: upstream() finds any execute without its row.
                if (o.ok() || !BEFORE_ROW.contains(o.code())) {
                    violation("lost execution", "an answer without executionId: " + o);
                } else {
                    withoutRow.merge(o.code() + (o.reason() == null ? "" : " " + o.reason()), 1, Integer::sum);
                }
                continue;
            }
            Row row = rows.get(o.executionId());
            if (row == null) {
                violation("lost execution", "no row for " + o.executionId() + " answered to " + o.tenant().subject);
                continue;
            }
            if (!row.tenantId().equals(o.tenant().tenantId)) {
                violation("cross-tenant row", "row " + row.id() + " of " + row.tenantId() + " answered to "
                        + o.tenant().subject);
            }
            if (!Objects.equals(row.key(), o.key()) || !row.credentialId().equals(o.credentialId())) {
                violation("row of another request", "row " + row + " answered to " + o);
            }
            if (o.ok() && !"SUCCEEDED".equals(row.status())) {
                violation("lost outcome", "answered SUCCEEDED, row says " + row.status() + ": " + row.id());
            }
            if (!o.ok() && !o.replayed() && !"IDEMPOTENCY_CONFLICT".equals(o.code())
                    && !o.code().equals(row.errorCode())) {
                violation("lost outcome", "answered " + o.code() + ", row says " + row.errorCode() + ": " + row.id());
            }
            if (o.op() == Op.EXECUTE_NO_KEY && !noKeyIds.add(o.executionId())) {
                violation("duplicated execution", "two requests without a key share row " + o.executionId());
            }
        }
    }

    /** No row nobody was told of; one row at most per key that did not leave the key free again. */
    void rows(Collection<Outcome> outcomes, Map<String, Row> rows) {
        Set<String> answered = new HashSet<>();
        outcomes.forEach(o -> answered.add(o.executionId()));
        Map<String, List<Row>> byKey = new HashMap<>();
        for (Row row : rows.values()) {
            if (!answered.contains(row.id())) {
                violation("unexplained row", row.toString());
            }
            if ("REJECTED".equals(row.status())) {
                violation("unexplained row", "REJECTED: " + row);
            }
            if (row.key() != null) {
                byKey.computeIfAbsent(row.tenantId() + " " + row.key(), k -> new ArrayList<>()).add(row);
            }
        }
        byKey.forEach((key, list) -> {
            if (list.stream().filter(r -> !r.released()).count() > 1) {
                violation("duplicated execution", "key " + key + " has rows " + list);
            }
        });
    }

    /** Successful answers to one key all name the same execution and the same third-party object. */
    void replays(Collection<Outcome> outcomes) {
        Map<String, Set<String>> ids = new HashMap<>();
        Map<String, Set<String>> objects = new HashMap<>();
        for (Outcome o : outcomes) {
            if (o.ok() && o.key() != null) {
                ids.computeIfAbsent(o.key(), k -> new HashSet<>()).add(o.executionId());
                objects.computeIfAbsent(o.key(), k -> new HashSet<>()).add(String.valueOf(o.objectId()));
            }
        }
        ids.forEach((key, set) -> {
            if (set.size() > 1 || objects.get(key).size() > 1) {
                violation("duplicated execution", "key " + key + " answered " + set + " " + objects.get(key));
            }
        });
    }

    // ---- what ran upstream ----

    /**
     * Each executed action is of the tenant whose marker it carries (its Alloy user and credential), ran at
     * most once per key (or request without a key), and as often as that key's rows say it ran: exactly, but for
     * an UNKNOWN row, which may stand for one run or none. How many UNKNOWN rows ran is counted in
     * {@link #unknownRan()}.
     */
    void upstream(List<Executed> executed, List<SoakTenant> tenants, Collection<Outcome> outcomes,
            Map<String, Row> rows, Map<String, String> ownership) {
        Map<String, List<Executed>> byMarker = new LinkedHashMap<>();
        for (Executed e : executed) {
            String[] name = marker(e);
            if (name == null) {
                continue;
            }
            SoakTenant t = tenants.get(Integer.parseInt(name[1]));
            if (!e.userId().equals(t.alloyUserId) || !t.tenantId.equals(ownership.get(e.credentialId()))) {
                violation("cross-tenant upstream call", t.subject + "'s execute ran as " + e.userId()
                        + " with credential " + e.credentialId());
            }
            byMarker.computeIfAbsent(name[2], k -> new ArrayList<>()).add(e);
        }
        Map<String, List<Row>> rowsByMarker = rowsByMarker(outcomes, rows);
        Set<String> markers = new HashSet<>(byMarker.keySet());
        markers.addAll(rowsByMarker.keySet());
        for (String marker : markers) {
            int ran = byMarker.getOrDefault(marker, List.of()).size();
            List<Row> markerRows = rowsByMarker.getOrDefault(marker, List.of());
            int surely = markerRows.stream().mapToInt(Row::ranUpstream).sum();
            int unknown = (int) markerRows.stream().filter(Row::unknown).count();
            if (ran > 1) {
                violation("ran upstream twice", marker + " ran " + ran + " times");
            }
            if (ran < surely || ran > surely + unknown) {
                violation(ran < surely ? "lost execution" : "unexplained upstream execute",
                        marker + " ran " + ran + " times, its rows say " + surely + " (and " + unknown
                                + " UNKNOWN): " + markerRows);
            }
            if (unknown > 0) {
                unknownRows += unknown;
                unknownRan += ran - surely;
            }
        }
    }

    /** The rows of each marker: a key's rows, or the one row of a request without a key. */
    private static Map<String, List<Row>> rowsByMarker(Collection<Outcome> outcomes, Map<String, Row> rows) {
        Map<String, Set<Row>> byMarker = new HashMap<>();
        for (Outcome o : outcomes) {
            Row row = o.executionId() == null ? null : rows.get(o.executionId());
            if (row != null && o.op().execute() && !"IDEMPOTENCY_CONFLICT".equals(o.code())) {
                byMarker.computeIfAbsent(o.marker(), k -> new HashSet<>()).add(row);
            }
        }
        Map<String, List<Row>> out = new HashMap<>();
        byMarker.forEach((marker, set) -> out.put(marker, new ArrayList<>(set)));
        return out;
    }

    /** {@code ["soak", tenantIndex, marker]} from the request body's name, or null for another test's call. */
    private String[] marker(Executed e) {
        try {
            String name = mapper.readTree(e.requestBody()).path("name").asText("");
            String[] parts = name.split(" ");
            return parts.length == 3 && parts[0].equals("soak") ? parts : null;
        } catch (IOException ex) {
            return null;
        }
    }

    // ---- tenancy ----

    /** Every row and every credential a tenant saw belongs to that tenant. */
    void tenancy(List<SoakTenant> tenants, Map<String, Row> rows, Map<String, String> ownership,
            int foreignRowsInWindow) {
        for (Row row : rows.values()) {
            if (!row.tenantId().equals(ownership.get(row.credentialId()))) {
                violation("cross-tenant row", "row " + row.id() + " of " + row.tenantId() + " used credential "
                        + row.credentialId() + " of " + ownership.get(row.credentialId()));
            }
        }
        for (SoakTenant t : tenants) {
            for (String id : t.unannouncedCredentials) {
                if (!t.tenantId.equals(ownership.get(id))) {
                    violation("cross-tenant credential", t.subject + " listed " + id + " owned by "
                            + ownership.get(id));
                }
            }
        }
        if (foreignRowsInWindow > 0) {
            violation("cross-tenant row", foreignRowsInWindow + " rows of tenants the soak does not know");
        }
    }
}
