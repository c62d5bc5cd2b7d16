package com.alloygateway.credentials;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Type;

@Type("CredentialStart")
@Description("What `createCredential` started: a credential at once, or an OAuth consent to complete.")
public record CredentialStart(
        @Id @Description("The new credential, for types that need no consent (API keys…).") String credentialId,
        @Description("For OAuth: open this URL in the end user's browser; after consent Alloy redirects to `redirectUri` and the credential appears in `credentials`.") String oauthUrl) {
}
