package com.alloygateway.alloy;

import java.time.Duration;
import java.util.Optional;

/**
 * Alloy answered with an error status. Carries what its error body said, read from either
 * envelope ({@code {error:{source, code, message, details:{httpStatusCode}}}} or a top-level
 * {@code {code, message}}).
 */
public class AlloyHttpException extends RuntimeException {

    /** Who failed: Alloy itself or the third party behind it. */
    public enum Source {
        THIRD_PARTY,
        CONNECTIVITY_API
    }

    private final int status;
    private final Source source;
    private final String code;
    private final Integer detailStatus;
    private final Duration retryAfter;

    public AlloyHttpException(int status, Source source, String code, String message, Integer detailStatus,
            Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.source = source;
        this.code = code;
        this.detailStatus = detailStatus;
        this.retryAfter = retryAfter;
    }

    /** HTTP status of Alloy's answer. */
    public int status() {
        return status;
    }

    public Source source() {
        return source;
    }

    /** Alloy's error code ({@code INVALID_INPUT}, {@code AUTHENTICATION_NOT_FOUND}…), if it gave one. */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    /**
     * The status that best describes the failure: the third party's ({@code details.httpStatusCode})
     * when Alloy reported one, else Alloy's own.
     */
    public int effectiveStatus() {
        return detailStatus != null ? detailStatus : status;
    }

    /** The server's {@code Retry-After}, if it sent one that could be read. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public boolean isRateLimited() {
        return status == 429;
    }

    public boolean isServerError() {
        return status >= 500;
    }
}
