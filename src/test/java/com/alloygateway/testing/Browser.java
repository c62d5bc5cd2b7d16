package com.alloygateway.testing;

import static io.restassured.RestAssured.given;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** The end user's browser in an OAuth consent: the sandbox's consent page, then the gateway's return route. */
public final class Browser {

    private Browser() {
    }

    /**
     * Answers the sandbox consent page of {@code oauthUrl} ({@code approve} or {@code deny}) and follows the
     * browser through the gateway's return route; the URI the gateway finally sends it to (the app's).
     */
    public static URI consent(String oauthUrl, String decision) {
        return returnTo(consentOnly(oauthUrl, decision));
    }

    /** Answers the consent page; where Alloy sends the browser next (the gateway's return route). */
    public static URI consentOnly(String oauthUrl, String decision) {
        URI consent = URI.create(oauthUrl);
        String location = given().redirects().follow(false)
                .formParam("state", queryParameter(consent, "state"))
                .formParam("decision", decision)
                .post(consent.getPath()).then().statusCode(303).extract().header("Location");
        return URI.create(location);
    }

    /** Visits the gateway's return route; where it redirects the browser (303 expected). */
    public static URI returnTo(URI gatewayReturn) {
        String location = given().redirects().follow(false).get(gatewayReturn.getRawPath())
                .then().statusCode(303).extract().header("Location");
        return URI.create(location);
    }

    /** One query parameter of a URI, decoded; null if absent. */
    public static String queryParameter(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
