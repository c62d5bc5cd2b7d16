package com.alloygateway.alloy;

/**
 * How one logical call ended, retries included: Alloy's reply or the failure, how many attempts were made, and
 * whether the request may have run ({@link RetryRules#mayHaveRun}) or certainly did not
 * ({@link RetryRules#nothingRan}).
 */
public record CallOutcome(AlloyReply reply, RuntimeException failure, int attempts) {

    public boolean succeeded() {
        return failure == null;
    }

    public boolean mayHaveRun() {
        return failure == null || RetryRules.mayHaveRun(failure);
    }

    public boolean nothingRan() {
        return failure != null && RetryRules.nothingRan(failure);
    }
}
