import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Small helpers for the local stack that need nothing but the JDK (run as `java dev/DevTool.java ...`):
 *   wait URL SECONDS          wait until URL answers 2xx
 *   token USER PASSWORD       print an access token of the local Keycloak (password grant)
 * KEYCLOAK_URL (default http://localhost:8180) and REALM (alloy-dev) may be set.
 */
public class DevTool {

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("wait")) {
            System.exit(waitFor(args[1], Integer.parseInt(args[2])) ? 0 : 1);
        } else if (args.length == 3 && args[0].equals("token")) {
            System.out.println(token(args[1], args[2]));
        } else {
            System.err.println("usage: java dev/DevTool.java wait URL SECONDS | token USER PASSWORD");
            System.exit(2);
        }
    }

    static boolean waitFor(String url, int seconds) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant until = Instant.now().plusSeconds(seconds);
        while (Instant.now().isBefore(until)) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) {
                    return true;
                }
            } catch (Exception notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        return false;
    }

    static String token(String user, String password) throws Exception {
        String keycloak = System.getenv().getOrDefault("KEYCLOAK_URL", "http://localhost:8180");
        String realm = System.getenv().getOrDefault("REALM", "alloy-dev");
        String form = "grant_type=password&client_id=alloy-gateway&scope=openid"
                + "&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(keycloak + "/realms/" + realm + "/protocol/openid-connect/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        if (r.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("token request failed: HTTP " + r.statusCode() + " " + r.body());
        }
        return m.group(1);
    }
}
