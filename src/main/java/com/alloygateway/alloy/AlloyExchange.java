package com.alloygateway.alloy;

/** A 2xx answer of Alloy as it came: its status and body text (empty when it had none). */
record AlloyExchange(int status, String body) {
}
