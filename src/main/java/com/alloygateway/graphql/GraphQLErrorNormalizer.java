package com.alloygateway.graphql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import com.alloygateway.alloy.AlloyHttpException;
import com.alloygateway.alloy.AlloyUnavailableException;
import com.alloygateway.alloy.ResponseTooLargeException;
import com.alloygateway.alloy.UpstreamLimitException;
import com.alloygateway.validation.InvalidInputException;

import graphql.ErrorClassification;
import graphql.ExceptionWhileDataFetching;
import graphql.ExecutionResult;
import graphql.ExecutionResultImpl;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.graphql.spi.EventingService;

/**
 * The one place where failures become GraphQL errors. Every error leaves with {@code extensions.code} from
 * {@link ErrorCode}; unexpected exceptions become {@code INTERNAL} with a reference id that is logged, so no
 * class name, stack trace or upstream secret reaches a client.
 * <p>
 * SmallRye GraphQL hands its {@link GraphQL.Builder} to every {@link EventingService} it finds with the
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.smallrye.graphql.spi.EventingService}) once,
 * before it builds the {@link GraphQL} object; this one appends two instrumentations to the existing chain
 * (this normalisation, then {@link AnswerCapture.Capturing}, which sees the normalised result), keeping
 * SmallRye's depth and complexity limits in place. It is not a CDI bean and SmallRye's CDI events
 * stay off ({@code quarkus.smallrye-graphql.events.enabled}): those fire for every field fetched.
 */
public class GraphQLErrorNormalizer implements EventingService {

    /** Always on: SmallRye asks for no configuration key. */
    @Override
    public String getConfigKey() {
        return null;
    }

    @Override
    public GraphQL.Builder beforeGraphQLBuild(GraphQL.Builder builder) {
        Instrumentation existing = builder.build().getInstrumentation();
        return builder.instrumentation(new ChainedInstrumentation(List.of(existing, new Normalizing(),
                new AnswerCapture.Capturing())));
    }

    static final class Normalizing extends SimplePerformantInstrumentation {
        @Override
        public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result,
                InstrumentationExecutionParameters parameters, InstrumentationState state) {
            if (result.getErrors().isEmpty()) {
                return CompletableFuture.completedFuture(result);
            }
            if (!result.isDataPresent()) {
                RequestErrors.mark();
            }
            List<GraphQLError> errors = new ArrayList<>(result.getErrors().size());
            for (GraphQLError error : result.getErrors()) {
                errors.add(normalize(error));
            }
            ExecutionResultImpl.Builder<?> normalized = ExecutionResultImpl.newExecutionResult()
                    .from(result)
                    .errors(errors);
            return CompletableFuture.completedFuture(normalized.build());
        }
    }

    static GraphQLError normalize(GraphQLError error) {
        if (error instanceof ExceptionWhileDataFetching fetching) {
            return build(map(unwrap(fetching.getException())), error);
        }
        Object existingCode = error.getExtensions() == null ? null : error.getExtensions().get("code");
        if (existingCode instanceof String code && isKnownCode(code)) {
            return error;
        }
        String classification = error.getErrorType() == null ? "" : error.getErrorType().toString();
        ErrorCode code = switch (classification) {
            case "ValidationError", "InvalidSyntax", "OperationNotSupported", "ExecutionAborted" ->
                ErrorCode.INVALID_INPUT;
            default -> ErrorCode.INTERNAL;
        };
        if (code == ErrorCode.INTERNAL) {
            String ref = UUID.randomUUID().toString();
            Log.errorf("GraphQL error [%s] (%s): %s", ref, classification, error.getMessage());
            return build(new GatewayException(code, "Internal error (reference " + ref + ")"), error);
        }
        return build(new GatewayException(code, error.getMessage()), error);
    }

    private static GraphQLError build(GatewayException mapped, GraphQLError original) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("code", mapped.code().name());
        extensions.putAll(mapped.extensions());
        GraphqlErrorBuilder<?> builder = GraphqlErrorBuilder.newError()
                .message(mapped.getMessage())
                .errorType(ErrorClassification.errorClassification(mapped.code().name()))
                .extensions(extensions);
        if (original.getLocations() != null) {
            builder.locations(original.getLocations());
        }
        if (original.getPath() != null) {
            builder.path(original.getPath());
        }
        return builder.build();
    }

    /** The client's view of any failure: its own code for ours and Alloy's, INTERNAL for the rest. */
    static GatewayException map(Throwable failure) {
        if (failure instanceof GatewayException e) {
            return e;
        }
        if (failure instanceof InvalidInputException e) {
            return GatewayException.invalidInput(e.violations());
        }
        if (failure instanceof AlloyHttpException e) {
            return UpstreamErrors.of(e);
        }
        if (failure instanceof AlloyUnavailableException e) {
            return UpstreamErrors.of(e);
        }
        if (failure instanceof UpstreamLimitException e) {
            return UpstreamErrors.of(e);
        }
        if (failure instanceof ResponseTooLargeException e) {
            return UpstreamErrors.of(e);
        }
        if (failure instanceof UnauthorizedException || failure instanceof AuthenticationFailedException) {
            return new GatewayException(ErrorCode.UNAUTHENTICATED, "Authentication is required");
        }
        if (failure instanceof ForbiddenException) {
            return new GatewayException(ErrorCode.FORBIDDEN, "Not allowed");
        }
        String ref = UUID.randomUUID().toString();
        Log.errorf(failure, "Unexpected failure [%s]", ref);
        return new GatewayException(ErrorCode.INTERNAL, "Internal error (reference " + ref + ")");
    }

    private static boolean isKnownCode(String code) {
        for (ErrorCode c : ErrorCode.values()) {
            if (c.name().equals(code)) {
                return true;
            }
        }
        return false;
    }

    static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException
                || current.getClass().getName().equals("io.smallrye.graphql.execution.datafetcher.DataFetcherException")
                || (current instanceof RuntimeException && current.getClass() == RuntimeException.class))
                && current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        return current;
    }
}
