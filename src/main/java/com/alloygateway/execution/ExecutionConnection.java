package com.alloygateway.execution;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

@Type("ExecutionConnection")
@Description("A page of the caller's executions, newest first.")
public record ExecutionConnection(
        @NonNull List<@NonNull ExecutionEdge> edges,
        @NonNull PageInfo pageInfo) {
}
