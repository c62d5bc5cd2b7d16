package com.alloygateway.credentials;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Type;

@Type("CredentialStart")
@Description("What `createCredential` started: a credential at once, or an OAuth consent to complete.")
public record CredentialStart(
        @Id @Description("The new credential, for types that need no consent (API keys…).") String credentialId,
        @Description("For OAuth: open this URL in the end user's browser. After consent the browser comes back through the gateway to the app's `redirectUri`, with `flowId`, `status` and `credentialId`.") String oauthUrl,
        @Description("For OAuth: the consent in progress; watch it with the `oauthFlow` query or subscription.") OAuthFlow oauthFlow) {
}
