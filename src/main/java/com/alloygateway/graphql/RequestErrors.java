package com.alloygateway.graphql;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Whether the current request failed as a whole (it did not parse or validate, so no data at all): what
 * graphql-over-http answers with HTTP 400 to clients that accept {@code application/graphql-response+json}.
 * Kept on the request's Vert.x context.
 */
public final class RequestErrors {

    private static final String KEY = RequestErrors.class.getName();

    private RequestErrors() {
    }

    static void mark() {
        Context context = Vertx.currentContext();
        if (context != null) {
            context.putLocal(KEY, Boolean.TRUE);
        }
    }

    /** Whether the request on this context was marked. */
    public static boolean marked(Context context) {
        return context != null && Boolean.TRUE.equals(context.getLocal(KEY));
    }
}
