package com.alloygateway.execution;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Enum;

@Enum("ExecutionStatus")
@Description("How an execution ended.")
public enum ExecutionStatus {
    @Description("The third party answered with success.")
    SUCCEEDED,
    @Description("Alloy or the third party answered with an error, or the call could not be sent.")
    FAILED,
    @Description("Refused by the gateway before any call (e.g. a credential that is not the caller's).")
    REJECTED,
    @Description("Sent, but no answer came: the action may or may not have run.")
    UNKNOWN
}
