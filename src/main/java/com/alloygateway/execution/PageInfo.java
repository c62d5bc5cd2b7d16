package com.alloygateway.execution;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

@Type("PageInfo")
@Description("Where a page ends.")
public record PageInfo(
        @NonNull @Description("Whether older executions follow.") Boolean hasNextPage,
        @Description("The last edge's cursor.") String endCursor) {
}
