package com.alloygateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The redirect allowlist as prod configures it: https prefixes and a native app's scheme, no plain http. */
class RedirectAllowlistTest {

    private static final RedirectAllowlist PROD = new RedirectAllowlist(config(false,
            "https://app.example.com/", "https://shop.example.com", "com.example.app:/oauth", "http://localhost"));

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/integrations/done", "https://app.example.com/cb?x=1",
            "https://shop.example.com", "https://shop.example.com/done", "https://shop.example.com?x=1",
            "HTTPS://APP.EXAMPLE.COM/cb", "com.example.app:/oauth", "com.example.app:/oauth/done?tab=2"})
    void listedRedirectsAreAllowed(String uri) {
        assertThat(PROD.problem(uri)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:5173/cb", "http://app.example.com/cb", "https://shop.example.com.evil.net/",
            "https://shop.example.comevil/", "https://app.example.com@evil.net/", "https://evil.net/https://app.example.com/",
            "com.example.app:/oauthx", "com.example.app://oauth", "javascript:alert(1)//https://app.example.com/",
            "https://app.example.com/cb#x", "https://app.example.com/a/%2e%2e/b", "https://app.example.com/\\evil",
            "https://app.example.com/\u0000", "", "not a uri"})
    void anythingElseIsRefused(String uri) {
        assertThat(PROD.problem(uri)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost/cb", "http://localhost:5173/cb"})
    void plainHttpOnlyWhereAllowed(String uri) {
        RedirectAllowlist dev = new RedirectAllowlist(config(true, "http://localhost"));
        assertThat(dev.problem(uri)).isNull();
        assertThat(dev.problem("http://localhost.evil.net/cb")).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/cb"})
    void anEmptyAllowlistAllowsNothing(String uri) {
        assertThat(new RedirectAllowlist(config(false)).problem(uri)).contains("allows no OAuth redirect URIs");
    }

    private static OAuthConfig config(boolean allowHttp, String... prefixes) {
        return new OAuthConfig() {
            @Override
            public Optional<String> publicUrl() {
                return Optional.empty();
            }

            @Override
            public Optional<List<String>> redirectAllowlist() {
                return prefixes.length == 0 ? Optional.empty() : Optional.of(List.of(prefixes));
            }

            @Override
            public Duration flowTtl() {
                return Duration.ofMinutes(15);
            }

            @Override
            public boolean allowHttp() {
                return allowHttp;
            }

            @Override
            public Duration pollInterval() {
                return Duration.ofSeconds(1);
            }
        };
    }
}
