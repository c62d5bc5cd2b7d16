package com.alloygateway.execution;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

import io.smallrye.mutiny.Uni;

/** Running actions, and the caller's log of what ran. */
@GraphQLApi
public class ExecutionApi {

    private final ExecutionService executions;
    private final ExecutionLog log;

    ExecutionApi(ExecutionService executions, ExecutionLog log) {
        this.executions = executions;
        this.log = log;
    }

    @Mutation("executeAction")
    @Description("Runs an action with one of the caller's credentials. Input is checked against the action's schema before anything is sent. Errors carry `executionId` and `retryable`.")
    public Uni<@NonNull Execution> executeAction(@NonNull ExecuteActionInput input) {
        return executions.execute(input);
    }

    @Query("execution")
    @Description("One of the caller's executions (e.g. to re-check an UNKNOWN one after a restart); null for any other id. No third-party payload.")
    public Uni<Execution> execution(@NonNull @Id @Description("The execution's id (`executionId` on errors).") String id) {
        return log.find(id);
    }

    @Query("executions")
    @Description("The caller's executions, newest first (no third-party payloads).")
    public Uni<@NonNull ExecutionConnection> executions(
            @Id @Description("Only this connector's.") String connectorId,
            @Id @Description("Only this action's.") String actionId,
            @Description("Only executions with this status.") ExecutionStatus status,
            @DefaultValue("20") @Description("Page size, 1 to 100.") Integer first,
            @Description("A cursor from a previous page: continue after it.") String after) {
        return log.page(connectorId, actionId, status, first, after);
    }
}
