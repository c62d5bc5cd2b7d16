package com.alloygateway.credentials;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Decides whether an app's {@code redirectUri} may be used: it must start with one of the configured prefixes
 * at a boundary ({@code https://app.example.com} does not admit {@code https://app.example.com.evil.net}), be
 * https or a custom scheme for native apps (RFC 8252; plain http only where {@code allowHttp}), and carry no
 * userinfo, fragment, dot segments or control characters.
 */
@ApplicationScoped
public class RedirectAllowlist {

    private static final int MAX_LENGTH = 2048;
    private static final Set<String> NEVER = Set.of("javascript", "data", "vbscript", "file", "blob", "about",
            "ftp", "ws", "wss");

    private static final Pattern BARE_ORIGIN = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://[^/?#:@]+");

    private final List<String> prefixes;
    private final boolean allowHttp;

    RedirectAllowlist(OAuthConfig config) {
        this.prefixes = config.redirectAllowlist().orElse(List.of()).stream()
                .map(String::trim).filter(p -> !p.isEmpty()).toList();
        this.allowHttp = config.allowHttp();
    }

    /** Why {@code uri} may not be used, or null if it may. */
    public String problem(String uri) {
        if (uri == null || uri.isBlank()) {
            return "is required for OAuth";
        }
        if (uri.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '\\') {
                return "must not contain spaces, control characters or backslashes";
            }
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return "is not a valid URI";
        }
        String scheme = parsed.getScheme() == null ? null : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || NEVER.contains(scheme)) {
            return "must be an https URL or an app's own scheme";
        }
        if (scheme.equals("http") && !allowHttp) {
            return "must not be plain http";
        }
        if ((scheme.equals("http") || scheme.equals("https")) && parsed.getHost() == null) {
            return "must name a host";
        }
        if (parsed.getRawUserInfo() != null
                || parsed.getRawAuthority() != null && parsed.getRawAuthority().contains("@")) {
            return "must not contain user information";
        }
        if (parsed.getRawFragment() != null || uri.contains("#")) {
            return "must not contain a fragment";
        }
        String path = parsed.getRawPath() == null ? "" : parsed.getRawPath();
        if (path.contains("/../") || path.endsWith("/..") || path.contains("/./") || path.endsWith("/.")
                || path.toLowerCase(Locale.ROOT).contains("%2e") || path.toLowerCase(Locale.ROOT).contains("%2f")) {
            return "must not contain dot segments or encoded slashes";
        }
        for (String prefix : prefixes) {
            if (admits(prefix, uri)) {
                return null;
            }
        }
        return prefixes.isEmpty() ? "is not allowed: this gateway allows no OAuth redirect URIs"
                : "is not in the gateway's redirect allowlist";
    }

    private static boolean admits(String prefix, String uri) {
        if (!uri.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return false;
        }
        if (uri.length() == prefix.length()) {
            return true;
        }
        char last = prefix.charAt(prefix.length() - 1);
        if (last == '/' || last == '?' || last == '&' || last == '=') {
            return true;
        }
        char next = uri.charAt(prefix.length());
        // A path or query after the prefix, or a port after a bare origin such as http://localhost.
        return next == '/' || next == '?' || next == ':' && BARE_ORIGIN.matcher(prefix).matches();
    }
}
