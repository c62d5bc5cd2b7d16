package com.alloygateway.execution;

import java.util.Map;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import com.alloygateway.alloy.AlloyHttpException;
import com.alloygateway.alloy.AlloyUnavailableException;
import com.alloygateway.alloy.CallOutcome;
import com.alloygateway.alloy.ResponseTooLargeException;
import com.alloygateway.alloy.UpstreamLimitException;
import com.alloygateway.graphql.ErrorCode;
import com.alloygateway.graphql.GatewayException;
import com.alloygateway.graphql.UpstreamErrors;

import io.quarkus.logging.Log;

/**
 * What came of an execute, as the audit log and the caller see it: its status, the error to answer with
 * (carrying {@code retryable}: whether sending the same input again is safe), and whether the idempotency
 * key may be used again ({@code keyReusable}: nothing ran anywhere).
 */
record Outcome(ExecutionStatus status, Integer upstreamStatus, JsonValue responseData, GatewayException error,
        String errorSource, boolean keyReusable, int attempts) {

    static Outcome of(CallOutcome call, boolean readOnly) {
        if (call.succeeded()) {
            return new Outcome(ExecutionStatus.SUCCEEDED, call.reply().status(), responseData(call.reply().body()),
                    null, null, false, call.attempts());
        }
        boolean safeToRepeat = !call.mayHaveRun() || readOnly;
        if (call.failure() instanceof AlloyHttpException e) {
            return new Outcome(ExecutionStatus.FAILED, e.effectiveStatus(), null,
                    UpstreamErrors.of(e).with("retryable", safeToRepeat), e.source().name(), call.nothingRan(),
                    call.attempts());
        }
        if (call.failure() instanceof AlloyUnavailableException e) {
            // Sent but unanswered: whether it ran is unknown.
            return new Outcome(call.mayHaveRun() ? ExecutionStatus.UNKNOWN : ExecutionStatus.FAILED, null, null,
                    UpstreamErrors.of(e).with("retryable", safeToRepeat), null, call.nothingRan(), call.attempts());
        }
        if (call.failure() instanceof ResponseTooLargeException e) {
            // It ran and was answered; the answer is not passed on, and the same input would bring it again.
            return new Outcome(ExecutionStatus.FAILED, e.status(), null,
                    UpstreamErrors.of(e).with("retryable", false), null, false, call.attempts());
        }
        if (call.failure() instanceof UpstreamLimitException e) {
            // Held back by the gateway's own limits: nothing was sent.
            return new Outcome(ExecutionStatus.FAILED, null, null, UpstreamErrors.of(e).with("retryable", true), null,
                    true, call.attempts());
        }
        Log.errorf(call.failure(), "Execution failed unexpectedly");
        return new Outcome(ExecutionStatus.UNKNOWN, null, null,
                new GatewayException(ErrorCode.INTERNAL, "Internal error while executing the action",
                        Map.of("retryable", false)),
                null, false, call.attempts());
    }

    /** The third party's payload: {@code responseData}, else {@code result}, else the whole answer. */
    static JsonValue responseData(JsonValue body) {
        if (body instanceof JsonObject o) {
            if (o.containsKey("responseData")) {
                return o.get("responseData");
            }
            if (o.containsKey("result")) {
                return o.get("result");
            }
        }
        return body;
    }
}
