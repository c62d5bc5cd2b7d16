package com.alloygateway.graphql;

/** The closed list of {@code extensions.code} values every GraphQL error carries. */
public enum ErrorCode {
    UNAUTHENTICATED,
    FORBIDDEN,
    NOT_PROVISIONED,
    NOT_FOUND,
    INVALID_INPUT,
    RATE_LIMITED,
    UPSTREAM_ERROR,
    UPSTREAM_UNAVAILABLE,
    IDEMPOTENCY_CONFLICT,
    /** A hash-only persisted query: the client is to send the document (the code Apollo clients expect). */
    PERSISTED_QUERY_NOT_SUPPORTED,
    INTERNAL
}
