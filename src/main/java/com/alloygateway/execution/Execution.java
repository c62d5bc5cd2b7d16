package com.alloygateway.execution;

import jakarta.json.JsonValue;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import com.alloygateway.graphql.Timestamps;

@Type("Execution")
@Description("One execution of an action: its outcome and, from `executeAction` or a replay, the third party's answer.")
public record Execution(
        @NonNull @Id @Description("The execution's id, also reported on its errors as `executionId`.") String id,
        @NonNull @Id String connectorId,
        @NonNull @Id String actionId,
        @NonNull @Id String credentialId,
        @NonNull ExecutionStatus status,
        @Description("The third party's payload; only from `executeAction` and its idempotent replays, never from `executions`.") JsonValue responseData,
        @Description("HTTP status of the answer (the third party's where Alloy reports it).") Integer upstreamStatus,
        @Description("Calls made to Alloy, retries included.") int attempts,
        @Description("Time spent, milliseconds.") int durationMs,
        @Description("The error code the execution failed with, if it did.") String errorCode,
        @NonNull @Description("ISO-8601 UTC with milliseconds.") String startedAt,
        @Description("The idempotency key given, if any.") String idempotencyKey,
        @Description("True on a replay whose first answer was too large to keep (`GATEWAY_EXECUTION_MAX_STORED_ANSWER_BYTES`): the execution succeeded, `responseData` is not replayed.") Boolean responseOmitted) {

    /** As listed by {@code executions}: without the payload. */
    static Execution of(ExecutionRecord r) {
        return withAnswer(r, null, null);
    }

    /** As answered by {@code executeAction} or a replay, with the payload unless it was omitted. */
    static Execution answered(ExecutionRecord r, JsonValue responseData, boolean responseOmitted) {
        return withAnswer(r, responseData, responseOmitted);
    }

    private static Execution withAnswer(ExecutionRecord r, JsonValue responseData, Boolean responseOmitted) {
        return new Execution(r.id.toString(), r.connectorId, r.actionId, r.credentialId, r.status, responseData,
                r.upstreamStatus, r.attempts, r.durationMs, r.errorCode, Timestamps.format(r.startedAt),
                r.idempotencyKey, responseOmitted);
    }
}
