package com.alloygateway.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.alloygateway.sandbox.SandboxJournal;
import com.alloygateway.testing.TenantClient;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * What a caller sends on to the third party is checked before anything is sent: path values that cannot leave
 * their segment, headers that cannot steer the exchange, and JSON every library on the way can read. A
 * refusal is INVALID_INPUT at the exact pointer, and no execute reaches Alloy.
 */
@QuarkusTest
class ThirdPartyInputTest {

    @Inject
    SandboxJournal journal;

    private TenantClient tenant;
    private String hubspot;
    private String shippo;

    @BeforeEach
    void aTenantWithCredentials() {
        tenant = TenantClient.newTenant("inputs");
        tenant.provision();
        hubspot = tenant.oauthCredential("hubspot");
        shippo = tenant.apiKeyCredential();
        journal.clear();
    }

    private void refusedAt(Map<String, Object> input, String pointer) {
        JsonPath answer = tenant.execute(input);
        assertThat(answer.getString("errors[0].extensions.code")).as(answer.prettify()).isEqualTo("INVALID_INPUT");
        assertThat(answer.getList("errors[0].extensions.violations.path", String.class)).contains(pointer);
        assertThat(journal.calls()).noneSatisfy(c -> assertThat(c.path()).endsWith("/execute"));
    }

    private Map<String, Object> getContact(Object contactId) {
        return Map.of("connectorId", "hubspot", "actionId", "getContact", "credentialId", hubspot,
                "pathParams", Map.of("contactId", contactId));
    }

    private Map<String, Object> address(Map<String, Object> extra) {
        Map<String, Object> input = new HashMap<>(Map.of("connectorId", "shippo", "actionId",
                "createAddress", "credentialId", shippo, "requestBody", Map.of("name", "A", "street1", "B",
                        "city", "C", "zip", "94117", "country", "US")));
        input.putAll(extra);
        return input;
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../x", "a/b", "a\\b", "%2e%2e", "x?admin=1", "x#y", "user@host", "a\u0001b", ""})
    void aPathValueMustStayInItsSegment(String contactId) {
        refusedAt(getContact(contactId), "/input/pathParams/contactId");
    }

    @Test
    void aPathValueIsAStringOrANumber() {
        refusedAt(getContact(Map.of("nested", "x")), "/input/pathParams/contactId");
        refusedAt(getContact(List.of("a")), "/input/pathParams/contactId");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "Transfer-Encoding", "Connection", "Authorization", "Cookie", "Content-Length",
            "Content-Type", "X-Forwarded-For", "Forwarded", "x-alloy-userid", "X-Api-Version", "Proxy-Authorization"})
    void headersThatSteerTheExchangeAreRefused(String name) {
        refusedAt(address(Map.of("additionalHeaders", Map.of(name, "x"))), "/input/additionalHeaders/" + name);
    }

    @Test
    void headerValuesHaveNoControlCharacters() {
        refusedAt(address(Map.of("additionalHeaders", Map.of("X-Trace", "a\r\nHost: evil"))),
                "/input/additionalHeaders/X-Trace");
        refusedAt(address(Map.of("additionalHeaders", Map.of("X-Trace", "a\u0000b"))),
                "/input/additionalHeaders/X-Trace");
    }

    @Test
    void inputTheValidatorCannotReadIsRefusedNotWavedThrough() {
        refusedAt(address(Map.of("requestBody", Map.of("name", "A", "street1", "B", "city", "C", "zip", "94117",
                "country", "US", "validate", new BigDecimal("1" + "0".repeat(1050))))),
                "/input/requestBody/validate");
        refusedAt(address(Map.of("requestBody", Map.of("k".repeat(60_000), "v"))), "/input/requestBody");
        refusedAt(address(Map.of("requestBody", Map.of("name", "A\u0000", "street1", "B", "city", "C",
                "zip", "94117", "country", "US"))), "/input/requestBody/name");
        refusedAt(address(Map.of("queryParameters", Map.of("bad\u0000key", "v"))), "/input/queryParameters");
    }

    @Test
    void idsAndNamesWithNulAreRefused() {
        JsonPath badConnector = tenant.execute(Map.of("connectorId", "ship\u0000po", "actionId", "createAddress",
                "credentialId", shippo));
        assertThat(badConnector.getString("errors[0].extensions.violations[0].path")).isEqualTo("/input/connectorId");
        JsonPath badName = tenant.post("mutation($n: String) { createUser(fullName: $n) { tenant } }",
                Map.of("n", "Jane\u0000"));
        assertThat(badName.getString("errors[0].extensions.violations[0].path")).isEqualTo("/fullName");
    }

    @Test
    void aCursorOutOfRangeIsInvalidInputNotAnInternalError() {
        for (String raw : new String[] {"v1:9223372036854775807:" + UUID.randomUUID(), "v1:99999999999999999999:x"}) {
            String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
            JsonPath page = tenant.post("query($a: String) { executions(after: $a) { edges { cursor } } }",
                    Map.of("a", cursor));
            assertThat(page.getString("errors[0].extensions.code")).isEqualTo("INVALID_INPUT");
            assertThat(page.getString("errors[0].extensions.violations[0].path")).isEqualTo("/after");
        }
    }

    @Test
    void anOrdinaryHeaderStillGoesThrough() {
        JsonPath answer = tenant.execute(address(Map.of("additionalHeaders", Map.of("X-Trace", "abc-123"))));
        assertThat(answer.getString("data.executeAction.status")).as(answer.prettify()).isEqualTo("SUCCEEDED");
    }
}
