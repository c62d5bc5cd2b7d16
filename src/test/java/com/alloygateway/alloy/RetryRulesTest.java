package com.alloygateway.alloy;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(AlloyClient.retryableRead(status(429))).isTrue();
        assertThat(AlloyClient.retryableRead(status(500))).isTrue();
        assertThat(AlloyClient.retryableRead(status(503))).isTrue();
        assertThat(AlloyClient.retryableRead(status(404))).isFalse();
        assertThat(AlloyClient.retryableRead(status(400))).isFalse();
        assertThat(AlloyClient.retryableRead(unavailable(Reason.CONNECT_FAILED))).isTrue();
        assertThat(AlloyClient.retryableRead(unavailable(Reason.TIMEOUT))).isTrue();
        assertThat(AlloyClient.retryableRead(unavailable(Reason.IO_ERROR))).isTrue();
        assertThat(AlloyClient.retryableRead(unavailable(Reason.BREAKER_OPEN))).isFalse();
        assertThat(AlloyClient.retryableRead(unavailable(Reason.MALFORMED_RESPONSE))).isFalse();
    }

    @Test
    void writes() {
        assertThat(AlloyClient.retryableWrite(status(429))).isTrue();
        assertThat(AlloyClient.retryableWrite(unavailable(Reason.CONNECT_FAILED))).as("refused before sending")
                .isTrue();
        assertThat(AlloyClient.retryableWrite(status(500))).isFalse();
        assertThat(AlloyClient.retryableWrite(status(502))).isFalse();
        assertThat(AlloyClient.retryableWrite(unavailable(Reason.TIMEOUT))).as("may have run").isFalse();
        assertThat(AlloyClient.retryableWrite(unavailable(Reason.IO_ERROR))).isFalse();
        assertThat(unavailable(Reason.TIMEOUT).requestMayHaveBeenSent()).isTrue();
        assertThat(unavailable(Reason.CONNECT_FAILED).requestMayHaveBeenSent()).isFalse();
        assertThat(unavailable(Reason.BREAKER_OPEN).requestMayHaveBeenSent()).isFalse();
    }

    @Test
    void aRefusedConnectionIsRecognisedThroughItsWrappers() {
        Throwable wrapped = new RuntimeException(new java.net.ConnectException("Connection refused"));
        assertThat(AlloyClient.transportFailure(wrapped).reason()).isEqualTo(Reason.CONNECT_FAILED);
        assertThat(AlloyClient.transportFailure(new java.io.IOException("reset")).reason()).isEqualTo(Reason.IO_ERROR);
    }
}
