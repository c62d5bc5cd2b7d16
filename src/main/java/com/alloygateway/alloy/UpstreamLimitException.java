package com.alloygateway.alloy;

/** A call to Alloy not made because a limit of the request or its tenant was reached; nothing was sent. */
public class UpstreamLimitException extends RuntimeException {

    /** Which limit. */
    public enum Kind {
        /** The request's budget of upstream calls. */
        REQUEST_BUDGET,
        /** The tenant's concurrent upstream calls. */
        TENANT_CONCURRENCY
    }

    private final Kind kind;

    public UpstreamLimitException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
