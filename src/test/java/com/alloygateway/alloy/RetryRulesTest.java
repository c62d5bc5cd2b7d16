package com.alloygateway.alloy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.alloygateway.alloy.AlloyHttpException.Source;
import com.alloygateway.alloy.AlloyUnavailableException.Reason;

/** Which failures may be retried: every read failure that is transient, writes only where nothing ran. */
class RetryRulesTest {

    private static AlloyHttpException status(int status) {
        return new AlloyHttpException(status, Source.CONNECTIVITY_API, null, "x", null, Duration.ofSeconds(1));
    }

    private static AlloyUnavailableException unavailable(Reason reason) {
        return new AlloyUnavailableException(reason, "x");
    }

    @Test
    void reads() {
        assertThat(RetryRules.retryableRead(status(429))).isTrue();
        assertThat(RetryRules.retryableRead(status(500))).isTrue();
        assertThat(RetryRules.retryableRead(status(503))).isTrue();
        assertThat(RetryRules.retryableRead(status(404))).isFalse();
        assertThat(RetryRules.retryableRead(status(400))).isFalse();
        assertThat(RetryRules.retryableRead(unavailable(Reason.CONNECT_FAILED))).isTrue();
        assertThat(RetryRules.retryableRead(unavailable(Reason.TIMEOUT))).isTrue();
        assertThat(RetryRules.retryableRead(unavailable(Reason.IO_ERROR))).isTrue();
        assertThat(RetryRules.retryableRead(unavailable(Reason.BREAKER_OPEN))).isFalse();
        assertThat(RetryRules.retryableRead(unavailable(Reason.MALFORMED_RESPONSE))).isFalse();
    }

    @Test
    void writes() {
        assertThat(RetryRules.retryableWrite(status(429))).isTrue();
        assertThat(RetryRules.retryableWrite(unavailable(Reason.CONNECT_FAILED))).as("refused before sending")
                .isTrue();
        assertThat(RetryRules.retryableWrite(status(500))).isFalse();
        assertThat(RetryRules.retryableWrite(status(502))).isFalse();
        assertThat(RetryRules.retryableWrite(unavailable(Reason.TIMEOUT))).as("may have run").isFalse();
        assertThat(RetryRules.retryableWrite(unavailable(Reason.IO_ERROR))).isFalse();
        assertThat(unavailable(Reason.TIMEOUT).requestMayHaveBeenSent()).isTrue();
        assertThat(unavailable(Reason.CONNECT_FAILED).requestMayHaveBeenSent()).isFalse();
        assertThat(unavailable(Reason.BREAKER_OPEN).requestMayHaveBeenSent()).isFalse();
    }

    @Test
    void whetherARequestMayHaveRunIsDecidedInOnePlace() {
        assertThat(RetryRules.mayHaveRun(status(500))).as("part of a write may have run").isTrue();
        assertThat(RetryRules.mayHaveRun(unavailable(Reason.TIMEOUT))).isTrue();
        assertThat(RetryRules.mayHaveRun(unavailable(Reason.MALFORMED_RESPONSE))).isTrue();
        assertThat(RetryRules.mayHaveRun(status(400))).as("a refusal").isFalse();
        assertThat(RetryRules.mayHaveRun(status(429))).isFalse();
        assertThat(RetryRules.mayHaveRun(unavailable(Reason.CONNECT_FAILED))).isFalse();
        assertThat(RetryRules.mayHaveRun(unavailable(Reason.BREAKER_OPEN))).isFalse();
        // Nothing ran anywhere: a rate limit or an unsent request; a 4xx is a refusal that stays recorded.
        assertThat(RetryRules.nothingRan(status(429))).isTrue();
        assertThat(RetryRules.nothingRan(unavailable(Reason.CONNECT_FAILED))).isTrue();
        assertThat(RetryRules.nothingRan(status(400))).isFalse();
        assertThat(RetryRules.nothingRan(status(502))).isFalse();
        assertThat(RetryRules.nothingRan(unavailable(Reason.TIMEOUT))).isFalse();
    }

    @Test
    void aRefusedConnectionIsRecognisedThroughItsWrappers() {
        Throwable wrapped = new RuntimeException(new ConnectException("Connection refused"));
        assertThat(((AlloyUnavailableException) RetryRules.transportFailure(wrapped)).reason()).isEqualTo(Reason.CONNECT_FAILED);
        assertThat(((AlloyUnavailableException) RetryRules.transportFailure(new IOException("reset"))).reason()).isEqualTo(Reason.IO_ERROR);
    }
}
