package com.alloygateway.graphql;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import graphql.ExecutionResult;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import io.smallrye.graphql.execution.ExecutionResponse;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * A request whose answer may be kept and served again (the edge decides which: account-wide catalog queries).
 * It rides on the request's Vert.x context. While the request runs, every cached input the answer is built from
 * reports when it was loaded ({@link #restsOn(long)}), so the kept answer can expire no later than the oldest of
 * them; when the execution ends without errors, {@link Capturing} serialises the result exactly as SmallRye
 * GraphQL writes it ({@link ExecutionResponse}) and keeps the text here.
 */
public final class AnswerCapture {

    private static final String KEY = AnswerCapture.class.getName();

    private final String document;
    private final AtomicLong oldest = new AtomicLong(Long.MAX_VALUE);
    private volatile String body;

    private AnswerCapture(String document) {
        this.document = document;
    }

    /** Starts capturing the answer to {@code document} for the request on {@code context}. */
    public static AnswerCapture attach(Context context, String document) {
        AnswerCapture capture = new AnswerCapture(document);
        context.putLocal(KEY, capture);
        return capture;
    }

    /** The current request's capture, or null when its answer is not to be kept (or outside a request). */
    public static AnswerCapture current() {
        Context context = Vertx.currentContext();
        return context == null ? null : context.getLocal(KEY);
    }

    /** The answer rests on a cached input loaded at {@code loadedAt} ({@link System#nanoTime()}) or later. */
    public void restsOn(long loadedAt) {
        oldest.accumulateAndGet(loadedAt, Math::min);
    }

    /** The earliest load the answer rests on ({@link System#nanoTime()}), or {@link Long#MAX_VALUE} for none. */
    public long oldest() {
        return oldest.get();
    }

    /** The answer's text, once the execution ended without errors; null otherwise. */
    public String body() {
        return body;
    }

    /** Keeps the text of an error-free result of this capture's document. */
    static final class Capturing extends SimplePerformantInstrumentation {
        @Override
        public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result,
                InstrumentationExecutionParameters parameters, InstrumentationState state) {
            AnswerCapture capture = current();
            // An answer built from no catalog entry (`{ __typename }`) has nothing to expire with and is not
            // kept: not serialised a second time either.
            if (capture != null && capture.oldest() != Long.MAX_VALUE && result.getErrors().isEmpty()
                    && result.isDataPresent() && capture.document.equals(parameters.getQuery())) {
                capture.body = new ExecutionResponse(result).getExecutionResultAsString();
            }
            return CompletableFuture.completedFuture(result);
        }
    }
}
