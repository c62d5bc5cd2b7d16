package com.alloygateway.alloy;

/**
 * Alloy's answer was longer than {@code ALLOY_MAX_RESPONSE_BYTES}: it was cut off while it streamed in. The
 * request was answered, so it ran; sending it again would bring the same answer.
 */
public class ResponseTooLargeException extends RuntimeException {

    private final int status;
    private final long limitBytes;

    public ResponseTooLargeException(int status, long limitBytes) {
        super("Alloy's answer is larger than the gateway accepts (" + limitBytes + " bytes)", null, false, false);
        this.status = status;
        this.limitBytes = limitBytes;
    }

    /** HTTP status of the answer that was cut off. */
    public int status() {
        return status;
    }

    public long limitBytes() {
        return limitBytes;
    }
}
