package com.alloygateway.soak;

/**
 * What one request of the soak got: who asked what, the HTTP status, and either success ({@code code} null) or
 * the error's code and extensions; for executeAction the execution id (the answer's, or the error's
 * {@code extensions.executionId}), its status and the third party's object id.
 */
record Outcome(SoakTenant tenant, Op op, String key, String marker, String credentialId, int httpStatus, String code,
        String reason, Integer upstreamStatus, boolean replayed, String executionId, String status, String objectId,
        long nanos) {

    /** The kinds of request the soak makes. */
    enum Op {
        CATALOG, LIST_CREDENTIALS, CREATE_CREDENTIAL, PROBE, EXECUTE_FRESH, EXECUTE_REPEAT, EXECUTE_CONCURRENT,
        EXECUTE_NO_KEY;

        boolean execute() {
            return name().startsWith("EXECUTE");
        }
    }

    boolean ok() {
        return httpStatus == 200 && code == null;
    }
}
