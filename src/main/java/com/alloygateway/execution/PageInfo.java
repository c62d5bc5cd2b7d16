package com.alloygateway.execution;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

@Type("PageInfo")
@Description("Where a page starts and ends (forward paging with `first` and `after`).")
public record PageInfo(
        @NonNull @Description("Whether older executions follow.") Boolean hasNextPage,
        @Description("The last edge's cursor.") String endCursor,
        @NonNull @Description("Whether newer executions come before this page: true when it was asked for `after` a cursor.") Boolean hasPreviousPage,
        @Description("The first edge's cursor.") String startCursor) {
}
