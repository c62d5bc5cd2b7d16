package com.alloygateway.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * WireMock on a dynamic port in Alloy's place, for what the sandbox should not fake: 429s, 5xx, slow and
 * malformed answers, broken connections; and calls held until the test releases them ({@link HeldCalls}).
 */
public class AlloyWireMock implements QuarkusTestResourceLifecycleManager {

    public static final String API_KEY = "test-alloy-api-key-5f1c";

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().extensions(new HeldCalls.Filter()));
        server.start();
        return Map.of(
                "alloy.base-url", server.baseUrl(),
                "alloy.api-key", API_KEY);
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
