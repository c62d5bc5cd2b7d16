package com.alloygateway.alloy;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import com.alloygateway.alloy.AlloyUnavailableException.Reason;

import io.quarkus.logging.Log;

/**
 * What a failed exchange with Alloy means: whether the request may have run, whether it may be sent again,
 * whether it speaks against Alloy's health. The one place these questions are answered.
 */
public final class RetryRules {

    private RetryRules() {
    }

    /**
     * Whether the request may have taken effect at Alloy or the third party: a 5xx (part of a write may have
     * run), or an exchange that broke or timed out after it was sent. A 4xx or 429 is a refusal, and a refused
     * connection or an open breaker sent nothing.
     */
    public static boolean mayHaveRun(Throwable failure) {
        if (failure instanceof ResponseTooLargeException) {
            return true;
        }
        if (failure instanceof AlloyHttpException e) {
            return e.isServerError();
        }
        return failure instanceof AlloyUnavailableException e && e.requestMayHaveBeenSent();
    }

    /**
     * Whether nothing happened anywhere, so the same request may be made again as if new: 429, not sent, or
     * held back by the gateway's own limits.
     */
    public static boolean nothingRan(Throwable failure) {
        if (failure instanceof UpstreamLimitException) {
            return true;
        }
        if (failure instanceof AlloyHttpException e) {
            return e.isRateLimited();
        }
        return failure instanceof AlloyUnavailableException e && !e.requestMayHaveBeenSent();
    }

    /** Reads are retried on 429, any 5xx, and failures to connect, time out or read. */
    public static boolean retryableRead(Throwable failure) {
        if (failure instanceof AlloyHttpException e) {
            return e.isRateLimited() || e.isServerError();
        }
        if (failure instanceof AlloyUnavailableException e) {
            return e.reason() == Reason.CONNECT_FAILED || e.reason() == Reason.TIMEOUT
                    || e.reason() == Reason.IO_ERROR || e.reason() == Reason.OVERLOADED;
        }
        return false;
    }

    /**
     * Writes are retried only where they cannot have run twice: on 429 (Alloy refused before doing anything)
     * and when the connection failed before anything was sent.
     */
    public static boolean retryableWrite(Throwable failure) {
        if (mayHaveRun(failure)) {
            return false;
        }
        if (failure instanceof AlloyHttpException e) {
            return e.isRateLimited();
        }
        return failure instanceof AlloyUnavailableException e
                && (e.reason() == Reason.CONNECT_FAILED || e.reason() == Reason.OVERLOADED);
    }

    /**
     * What opens the account-wide breaker: only Alloy's own failures (a Connectivity API 5xx, no connection,
     * no answer in time, an unreadable answer). A third party's errors, 4xx (429 included) and answers cut off
     * for their size are answers, not outages.
     */
    static boolean countsAgainstAccount(Throwable failure) {
        if (failure instanceof AlloyHttpException e) {
            return e.isServerError() && e.source() == AlloyHttpException.Source.CONNECTIVITY_API;
        }
        return failure instanceof AlloyUnavailableException e && failsAlloy(e.reason());
    }

    /**
     * What opens a tenant's execute breaker for a connector: any 5xx (Alloy's or the third party's), no
     * connection, no answer in time, an unreadable answer. 4xx are the third party's answers to this input.
     */
    static boolean countsAgainstExecute(Throwable failure) {
        if (failure instanceof AlloyHttpException e) {
            return e.isServerError();
        }
        return failure instanceof AlloyUnavailableException e && failsAlloy(e.reason());
    }

    private static boolean failsAlloy(Reason reason) {
        return reason == Reason.CONNECT_FAILED || reason == Reason.TIMEOUT || reason == Reason.IO_ERROR
                || reason == Reason.MALFORMED_RESPONSE;
    }

    /**
     * A failure of the exchange as this package names it: Alloy's error answer as it is, else why no answer
     * came (looked for through the wrappers the REST client adds).
     */
    static RuntimeException transportFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AlloyUnavailableException || t instanceof AlloyHttpException
                    || t instanceof ResponseTooLargeException) {
                return (RuntimeException) t;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return new AlloyUnavailableException(Reason.CONNECT_FAILED, "cannot connect");
            }
            if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return new AlloyUnavailableException(Reason.TIMEOUT, "timed out");
            }
            if (t.getCause() == t) {
                break;
            }
        }
        // Neither a refused connection nor a timeout: rare enough to be worth a line (the failure's class and
        // message only; Vert.x's carry no headers or bodies).
        Log.warnf("Alloy exchange failed without an answer: %s", failure.toString());
        return new AlloyUnavailableException(Reason.IO_ERROR, "exchange failed");
    }
}
