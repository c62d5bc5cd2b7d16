package com.alloygateway.execution;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

@Type("ExecutionEdge")
@Description("An execution and its cursor.")
public record ExecutionEdge(
        @NonNull @Description("Pass as `after` to continue after this execution.") String cursor,
        @NonNull Execution node) {
}
