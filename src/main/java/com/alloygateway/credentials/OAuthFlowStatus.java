package com.alloygateway.credentials;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Enum;

@Enum("OAuthFlowStatus")
@Description("Where an OAuth consent stands.")
public enum OAuthFlowStatus {
    @Description("Waiting for the end user's browser to come back from the provider.")
    PENDING,
    @Description("The browser came back and the new credential was found (see `credential`).")
    CONNECTED,
    @Description("The browser came back but no new credential was there: consent denied or failed, or Alloy refused.")
    FAILED,
    @Description("The browser did not come back within the flow's lifetime.")
    EXPIRED;

    /** Whether the flow can no longer change. */
    public boolean isFinal() {
        return this != PENDING;
    }
}
