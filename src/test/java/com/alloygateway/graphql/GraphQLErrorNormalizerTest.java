package com.alloygateway.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import com.alloygateway.alloy.AlloyHttpException;
import com.alloygateway.alloy.AlloyHttpException.Source;
import com.alloygateway.alloy.AlloyUnavailableException;

import graphql.ExceptionWhileDataFetching;
import graphql.GraphQLError;
import graphql.execution.ResultPath;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** Every failure leaves with a code of the closed list, and nothing of the code behind it. */
class GraphQLErrorNormalizerTest {

    private static GraphQLError fetching(Throwable failure) {
        return GraphQLErrorNormalizer.normalize(
                new ExceptionWhileDataFetching(ResultPath.parse("/connectors"), failure, null));
    }

    @Test
    void anUnexpectedExceptionIsInternalAndSaysNothingOfItself() {
        GraphQLError error = fetching(new CompletionException(
                new NullPointerException("secret at com.alloygateway.Foo line 3")));

        assertThat(error.getExtensions()).containsEntry("code", "INTERNAL").hasSize(1);
        assertThat(error.getMessage()).startsWith("Internal error (reference ").doesNotContain("secret")
                .doesNotContain("NullPointer").doesNotContain("com.alloygateway");
        assertThat(error.getPath()).isEqualTo(List.of("connectors"));
    }

    @Test
    void securityFailuresAreUnauthenticatedOrForbidden() {
        assertThat(fetching(new UnauthorizedException()).getExtensions()).containsEntry("code", "UNAUTHENTICATED");
        assertThat(fetching(new ForbiddenException()).getExtensions()).containsEntry("code", "FORBIDDEN");
    }

    @Test
    void gatewayAndUpstreamFailuresKeepTheirExtensions() {
        assertThat(fetching(GatewayException.invalidInput("/id", "bad")).getExtensions())
                .containsEntry("code", "INVALID_INPUT")
                .containsEntry("violations", List.of(Map.of("path", "/id", "message", "bad")));
        assertThat(fetching(new AlloyHttpException(502, Source.THIRD_PARTY, "X", "down", 503, null)).getExtensions())
                .containsEntry("code", "UPSTREAM_ERROR")
                .containsEntry("source", "THIRD_PARTY")
                .containsEntry("httpStatusCode", 503);
        assertThat(fetching(new AlloyUnavailableException(AlloyUnavailableException.Reason.BREAKER_OPEN, "x"))
                .getExtensions()).containsEntry("code", "UPSTREAM_UNAVAILABLE").containsEntry("reason", "BREAKER_OPEN");
    }

    @Test
    void theCodesAreExactlyTheClosedList() {
        assertThat(List.of(ErrorCode.values())).extracting(Enum::name).containsExactly("UNAUTHENTICATED",
                "FORBIDDEN", "NOT_PROVISIONED", "NOT_FOUND", "INVALID_INPUT", "RATE_LIMITED", "UPSTREAM_ERROR",
                "UPSTREAM_UNAVAILABLE", "IDEMPOTENCY_CONFLICT", "PERSISTED_QUERY_NOT_SUPPORTED", "INTERNAL");
    }
}
