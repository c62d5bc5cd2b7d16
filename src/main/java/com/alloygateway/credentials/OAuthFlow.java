package com.alloygateway.credentials;

import java.time.Instant;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

import com.alloygateway.graphql.Timestamps;

@Type("OAuthFlow")
@Description("An OAuth consent started by `createCredential`: open `oauthUrl`, then watch this flow (query or subscription) until it is final.")
public record OAuthFlow(
        @NonNull @Id @Description("The flow's id, unguessable; also passed to the app's `redirectUri` as `flowId`.") String id,
        @NonNull @Id @Description("The connector being connected.") String connectorId,
        @NonNull @Description("PENDING until the browser returns, then CONNECTED, FAILED or EXPIRED.") OAuthFlowStatus status,
        @Description("The new credential, once CONNECTED.") Credential credential,
        @NonNull @Description("Where the browser is sent at the end (the app's own URI, as given).") String redirectUri,
        @NonNull @Description("ISO-8601 UTC.") String startedAt,
        @Description("When the flow became final, ISO-8601 UTC.") String finishedAt,
        @NonNull @Description("After this the flow is EXPIRED if the browser has not returned, ISO-8601 UTC.") String expiresAt) {

    static OAuthFlow of(OAuthFlowRecord r, Instant now) {
        OAuthFlowStatus status = r.statusAt(now);
        Credential credential = r.credentialId == null ? null
                : new Credential(r.credentialId, r.connectorId, r.credentialName, r.credentialType,
                        r.credentialCreatedAt, r.credentialUpdatedAt);
        Instant finished = r.finishedAt != null ? r.finishedAt
                : status == OAuthFlowStatus.EXPIRED ? r.expiresAt : null;
        return new OAuthFlow(r.id, r.connectorId, status, credential, r.redirectUri, Timestamps.format(r.startedAt),
                Timestamps.format(finished), Timestamps.format(r.expiresAt));
    }
}
