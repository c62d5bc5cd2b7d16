package com.alloygateway.alloy;

/** No usable answer came from Alloy. */
public class AlloyUnavailableException extends RuntimeException {

    public enum Reason {
        /** The connection could not be made: nothing was sent. */
        CONNECT_FAILED,
        /** No answer within the attempt timeout, after the request was (or may have been) sent. */
        TIMEOUT,
        /** The connection broke after it was made. */
        IO_ERROR,
        /** A circuit breaker is open: nothing was sent. */
        BREAKER_OPEN,
        /** This replica already has {@code ALLOY_MAX_CONCURRENT_CALLS} calls in flight: nothing was sent. */
        OVERLOADED,
        /** A success status with a body that is not the JSON expected. */
        MALFORMED_RESPONSE
    }

    private final Reason reason;

    public AlloyUnavailableException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** Whether Alloy may have received the request (so a write may have taken effect). */
    public boolean requestMayHaveBeenSent() {
        return reason == Reason.TIMEOUT || reason == Reason.IO_ERROR || reason == Reason.MALFORMED_RESPONSE;
    }
}
