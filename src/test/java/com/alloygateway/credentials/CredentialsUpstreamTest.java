package com.alloygateway.credentials;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.alloygateway.testing.AlloyStubs;
import com.alloygateway.testing.GatewayState;
import com.alloygateway.testing.InjectWireMock;
import com.alloygateway.testing.TenantClient;
import com.alloygateway.testing.WireMockAlloyProfile;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Credentials against Alloy's answers as its reference documents them (and the seed's older metadata form),
 * with WireMock in Alloy's place: what the gateway sends is read back, and Alloy's failures are injected.
 */
@QuarkusTest
@TestProfile(WireMockAlloyProfile.class)
class CredentialsUpstreamTest {

    /** Shippo's metadata exactly in the documented shape: the schema and sample of the whole create body. */
    private static final String SHIPPO_METADATA = """
            {"metadata":[{"authenticationType":"apiKey","authConfigRequired":false,
              "inputSchema":{"type":"object","required":["userId","authenticationType","data"],
                "properties":{"userId":{"type":"string"},"authenticationType":{"type":"string"},
                  "data":{"type":"object","required":["apiKey"],
                    "properties":{"apiKey":{"type":"string","description":"Shippo API token"}}}}},
              "sampleInput":{"userId":"689593e23e4c93cae95fd75c","authenticationType":"apiKey",
                "data":{"apiKey":"shippo_test_123"}}}]}""";
    /** Notion's in the seed's form: a property list mixing request fields and the connector's own. */
    private static final String NOTION_METADATA = """
            {"metadata":[{"authenticationType":"oauth2","properties":[
              {"name":"userId","required":true,"type":"string"},
              {"name":"redirectUri","required":true,"type":"string"}]}]}""";
    private static final String CREATE = """
            mutation($input: CreateCredentialInput!) {
              createCredential(input: $input) { credentialId oauthUrl oauthFlow { id status } }
            }
            """;
    private static final String DELETE = "mutation($c: ID!, $id: ID!) { deleteCredential(connectorId: $c, id: $id) }";
    private static final String CREDENTIALS = """
            query($c: ID) { credentials(connectorId: $c) { id connectorId } }
            """;
    private static final String REQUIREMENTS = """
            query($c: ID!) { credentialRequirements(connectorId: $c) { inputSchema sampleInput dataSchema sampleData } }
            """;

    @InjectWireMock
    WireMockServer alloy;

    @Inject
    GatewayState state;

    @BeforeEach
    void alloyWithThreeConnectors() {
        alloy.resetAll();
        state.reset();
        AlloyStubs.everyUserExists(alloy);
        alloy.stubFor(get("/connectors").willReturn(okJson("""
                {"connectors":[{"id":"shippo","name":"Shippo"},{"id":"notion","name":"Notion"},
                  {"id":"hubspot","name":"HubSpot"}]}""")));
        alloy.stubFor(get("/connectors/shippo/credentials/metadata").willReturn(okJson(SHIPPO_METADATA)));
        alloy.stubFor(get("/connectors/notion/credentials/metadata").willReturn(okJson(NOTION_METADATA)));
        // Each user has one Shippo credential, "s" + its user id, and no other.
        alloy.stubFor(get("/connectors/shippo/credentials").willReturn(okJson("""
                {"credentials":[{"credentialId":"s{{request.headers.x-alloy-userid}}","type":"shippo-apiKey",
                                 "name":"Shippo","createdAt":"2025-08-01T15:32:45.646Z"}]}""")
                .withTransformers("response-template")));
        for (String connector : List.of("notion", "hubspot")) {
            alloy.stubFor(get("/connectors/" + connector + "/credentials").willReturn(okJson("""
                    {"credentials":[]}""")));
        }
    }

    @Test
    void theDocumentedFormIsPassedThroughAndTheWholeBodyIsChecked() {
        TenantClient tenant = TenantClient.newTenant("documented");
        String userId = tenant.provision();
        JsonPath requirements = tenant.post(REQUIREMENTS, Map.of("c", "shippo"));
        assertThat(requirements.getMap("data.credentialRequirements[0].inputSchema"))
                .isEqualTo(JsonPath.from(SHIPPO_METADATA).getMap("metadata[0].inputSchema"));
        assertThat(requirements.getMap("data.credentialRequirements[0].sampleInput"))
                .isEqualTo(JsonPath.from(SHIPPO_METADATA).getMap("metadata[0].sampleInput"));
        assertThat(requirements.getList("data.credentialRequirements[0].dataSchema.required")).containsExactly("apiKey");
        assertThat(requirements.getMap("data.credentialRequirements[0].sampleData"))
                .isEqualTo(Map.of("apiKey", "shippo_test_123"));

        // Nothing given: the missing field is reported where the caller puts it, never at userId.
        JsonPath refused = tenant.post(CREATE, Map.of("input", Map.of("connectorId", "shippo",
                "authenticationType", "apiKey")));
        assertThat(refused.getList("errors[0].extensions.violations.path")).containsExactly("/input/data/apiKey");
        alloy.verify(0, postRequestedFor(urlEqualTo("/connectors/shippo/credentials")));

        alloy.stubFor(post("/connectors/shippo/credentials").willReturn(okJson("""
                {"credentialId":"made123"}""")));
        JsonPath made = tenant.post(CREATE, Map.of("input", Map.of("connectorId", "shippo",
                "authenticationType", "apiKey", "data", Map.of("apiKey", "shippo_live_0123456789"))));
        assertThat(made.getString("data.createCredential.credentialId")).isEqualTo("made123");
        alloy.verify(postRequestedFor(urlEqualTo("/connectors/shippo/credentials"))
                .withHeader("x-alloy-userid", equalTo(userId))
                .withRequestBody(equalToJson("""
                        {"userId":"%s","authenticationType":"apiKey","data":{"apiKey":"shippo_live_0123456789"}}"""
                        .formatted(userId))));
    }

    /** The schema of the whole body may list every field the call takes: an optional redirectUri is not OAuth. */
    @Test
    void aTypeWhoseSchemaOnlyAllowsARedirectUriIsCreatedAtOnce() {
        TenantClient tenant = TenantClient.newTenant("optional-redirect");
        String userId = tenant.provision();
        alloy.stubFor(get("/connectors").willReturn(okJson("""
                {"connectors":[{"id":"shippo","name":"Shippo"},{"id":"freshdesk","name":"Freshdesk"}]}""")));
        alloy.stubFor(get("/connectors/freshdesk/credentials/metadata").willReturn(okJson("""
                {"metadata":[{"authenticationType":"apiKey","authConfigRequired":false,
                  "inputSchema":{"type":"object","required":["userId","authenticationType","data"],
                    "properties":{"userId":{"type":"string"},"authenticationType":{"type":"string"},
                      "redirectUri":{"type":"string"},"authConfigId":{"type":"string"},
                      "data":{"type":"object","required":["apiKey","subdomain"],
                        "properties":{"apiKey":{"type":"string"},"subdomain":{"type":"string"}}}}},
                  "sampleInput":{"userId":"689593e23e4c93cae95fd75c","authenticationType":"apiKey",
                    "data":{"apiKey":"key","subdomain":"acme"}}}]}""")));
        alloy.stubFor(post("/connectors/freshdesk/credentials").willReturn(okJson("""
                {"credentialId":"fd123"}""")));

        JsonPath made = tenant.post(CREATE, Map.of("input", Map.of("connectorId", "freshdesk",
                "authenticationType", "apiKey", "data", Map.of("apiKey", "fd_live_0123456789", "subdomain", "acme"))));
        assertThat(made.getString("data.createCredential.credentialId")).isEqualTo("fd123");
        assertThat(made.getString("data.createCredential.oauthUrl")).isNull();
        alloy.verify(postRequestedFor(urlEqualTo("/connectors/freshdesk/credentials"))
                .withRequestBody(equalToJson("""
                        {"userId":"%s","authenticationType":"apiKey","data":{"apiKey":"fd_live_0123456789","subdomain":"acme"}}"""
                        .formatted(userId))));
    }

    @Test
    void theSeedFormWorksForOAuthAndAlloyIsGivenTheGatewaysReturnAddress() {
        TenantClient tenant = TenantClient.newTenant("seed");
        String userId = tenant.provision();
        JsonPath requirements = tenant.post(REQUIREMENTS, Map.of("c", "notion"));
        assertThat(requirements.getList("data.credentialRequirements[0].inputSchema.required"))
                .containsExactly("userId", "redirectUri");
        assertThat(requirements.getString("data.credentialRequirements[0].dataSchema")).isNull();

        alloy.stubFor(post("/connectors/notion/credentials").willReturn(okJson("""
                {"oauthUrl":"https://auth.example.com/consent?x=1"}""")));
        JsonPath started = tenant.post(CREATE, Map.of("input", Map.of("connectorId", "notion",
                "authenticationType", "oauth2", "redirectUri", "https://app.example.com/done")));
        assertThat(started.getString("data.createCredential.oauthUrl")).isEqualTo("https://auth.example.com/consent?x=1");
        assertThat(started.getString("data.createCredential.oauthFlow.status")).isEqualTo("PENDING");
        String flowId = started.getString("data.createCredential.oauthFlow.id");
        alloy.verify(postRequestedFor(urlEqualTo("/connectors/notion/credentials"))
                .withRequestBody(matchingJsonPath("$.userId", equalTo(userId)))
                .withRequestBody(matchingJsonPath("$.authenticationType", equalTo("oauth2")))
                .withRequestBody(matchingJsonPath("$.redirectUri",
                        matching("http://localhost:\\d+/oauth/return/" + flowId))));
    }

    @Test
    void deletionCountsOnlyAGoneCredentialAsDeleted() {
        TenantClient tenant = TenantClient.newTenant("deleter");
        String credentialId = provisionedWithItsShippoCredential(tenant);
        String path = "/connectors/shippo/credentials/" + credentialId;
        int listed = alloy.findAll(getRequestedFor(urlEqualTo("/connectors/shippo/credentials"))).size();

        // A 404 about something else (the user) is reported while Alloy still lists the credential, and the
        // credential stays the caller's.
        alloy.stubFor(delete(path).willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("""
                        {"error":{"source":"CONNECTIVITY_API","code":"USER_NOT_FOUND","message":"User not found"}}""")));
        JsonPath refused = tenant.post(DELETE, Map.of("c", "shippo", "id", credentialId));
        assertThat(refused.getString("errors[0].extensions.code")).isEqualTo("UPSTREAM_ERROR");
        assertThat(refused.getInt("errors[0].extensions.httpStatusCode")).isEqualTo(404);
        // So is a 404 without a body saying what is missing.
        alloy.stubFor(delete(path).willReturn(aResponse().withStatus(404)));
        assertThat(tenant.post(DELETE, Map.of("c", "shippo", "id", credentialId))
                .getString("errors[0].extensions.code")).isEqualTo("UPSTREAM_ERROR");
        alloy.verify(2, deleteRequestedFor(urlEqualTo(path)));

        // A 404 that says the credential is gone: the caller's wish is met.
        alloy.stubFor(delete(path).willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("""
                        {"code":"AUTHENTICATION_NOT_FOUND","message":"Credential not found"}""")));
        assertThat(tenant.post(DELETE, Map.of("c", "shippo", "id", credentialId)).getBoolean("data.deleteCredential"))
                .isTrue();
        alloy.verify(3, deleteRequestedFor(urlEqualTo(path)));
        // Only the two 404s that did not say what was missing were checked against the list.
        alloy.verify(listed + 2, getRequestedFor(urlEqualTo("/connectors/shippo/credentials")));
    }

    /** A 404 that says there is no credential (the flat form seen in the wild) is an empty list; one about the user is not. */
    @Test
    void aListAnsweredWithNoCredentialsFoundIsEmpty() {
        TenantClient tenant = TenantClient.newTenant("none-found");
        String userId = tenant.provision();
        alloy.stubFor(get("/connectors/notion/credentials").willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"code":"AUTHENTICATION_NOT_FOUND","message":"No credentials found"}""")));
        alloy.stubFor(get("/users/" + userId + "/credentials").willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"code":"AUTHENTICATION_NOT_FOUND","message":"No credentials found"}""")));
        assertThat(tenant.post(CREDENTIALS, Map.of("c", "notion")).getList("data.credentials")).isEmpty();
        assertThat(tenant.post("{ credentials { id } }", Map.of()).getList("data.credentials")).isEmpty();

        alloy.stubFor(get("/connectors/notion/credentials").willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"error":{"source":"CONNECTIVITY_API","code":"USER_NOT_FOUND","message":"User not found"}}""")));
        JsonPath failed = tenant.post(CREDENTIALS, Map.of("c", "notion"));
        assertThat(failed.getString("errors[0].extensions.code")).isEqualTo("UPSTREAM_ERROR");
        assertThat(failed.getString("errors[0].extensions.upstreamCode")).isEqualTo("USER_NOT_FOUND");
    }

    /** "404 unknown id" is all ALLOY-API.md promises: a generic 404 counts once Alloy's list lacks the id. */
    @Test
    void aGeneric404CountsAsDeletedOnlyOnceAlloysListLacksTheCredential() {
        TenantClient tenant = TenantClient.newTenant("generic-404");
        String credentialId = provisionedWithItsShippoCredential(tenant);
        String path = "/connectors/shippo/credentials/" + credentialId;
        alloy.stubFor(delete(path).willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("""
                        {"error":{"source":"CONNECTIVITY_API","code":"NOT_FOUND","message":"Not found"}}""")));

        // While the list fails, the 404 stands and the credential stays the caller's.
        alloy.stubFor(get("/connectors/shippo/credentials").willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"code":"USER_NOT_FOUND","message":"User not found"}""")));
        JsonPath refused = tenant.post(DELETE, Map.of("c", "shippo", "id", credentialId));
        assertThat(refused.getString("errors[0].extensions.code")).isEqualTo("UPSTREAM_ERROR");
        assertThat(refused.getInt("errors[0].extensions.httpStatusCode")).isEqualTo(404);

        // Once Alloy lists the user's credentials without it, the deletion is done, and the id is no longer theirs.
        alloy.stubFor(get("/connectors/shippo/credentials").willReturn(okJson("""
                {"credentials":[]}""")));
        assertThat(tenant.post(DELETE, Map.of("c", "shippo", "id", credentialId)).getBoolean("data.deleteCredential"))
                .isTrue();
        assertThat(tenant.post(DELETE, Map.of("c", "shippo", "id", credentialId)).getString("errors[0].extensions.code"))
                .isEqualTo("NOT_FOUND");
        alloy.verify(2, deleteRequestedFor(urlEqualTo(path)));
    }

    @Test
    void anotherTenantsIdAndAnUnknownOneAreAlikeWhenAlloyFailsDuringTheLookUp() {
        TenantClient owner = TenantClient.newTenant("owner");
        TenantClient prober = TenantClient.newTenant("prober");
        String ownerUser = owner.provision();
        prober.provision();
        String foreignId = "s" + ownerUser;
        owner.post(CREDENTIALS, Map.of("c", "shippo"));

        alloy.stubFor(get("/connectors/shippo/credentials").willReturn(aResponse().withStatus(503)));
        alloy.resetRequests();
        for (String operation : List.of("delete", "execute", "deleteUnknownConnector", "executeUnknownConnector")) {
            String connector = operation.endsWith("UnknownConnector") ? "nope" : "shippo";
            JsonPath foreign = use(prober, operation, connector, foreignId);
            JsonPath unknown = use(prober, operation, connector, "ffffffffffffffffffffffff");
            assertThat(foreign.getString("errors[0].extensions.code")).as(operation).isEqualTo("NOT_FOUND");
            assertThat(foreign.getString("errors[0].message")).isEqualTo(unknown.getString("errors[0].message"));
            assertThat(foreign.getList("errors[0].path")).isEqualTo(unknown.getList("errors[0].path"));
            Map<String, Object> a = new HashMap<>(foreign.getMap("errors[0].extensions"));
            Map<String, Object> b = new HashMap<>(unknown.getMap("errors[0].extensions"));
            if (operation.startsWith("execute")) {
                assertThat(a.remove("executionId")).as(operation).isNotNull();
                assertThat(b.remove("executionId")).as(operation).isNotNull();
            }
            assertThat(a).as(operation).isEqualTo(b);
        }
        // Both were looked up the same way, and the foreign id never reached Alloy.
        List<LoggedRequest> sent = alloy.findAll(anyRequestedFor(urlPathMatching(".*")));
        assertThat(sent).noneSatisfy(r -> assertThat(r.getUrl() + r.getBodyAsString()).contains(foreignId));
        JsonPath rejected = prober.post("{ executions(status: REJECTED) { edges { node { credentialId } } } }", Map.of());
        assertThat(rejected.getList("data.executions.edges.node.credentialId"))
                .containsExactlyInAnyOrder("ffffffffffffffffffffffff", foreignId, "ffffffffffffffffffffffff", foreignId);
    }

    /** Provisions the tenant and lists its one Shippo credential ("s" + its user id), recording it as the tenant's. */
    private static String provisionedWithItsShippoCredential(TenantClient tenant) {
        String credentialId = "s" + tenant.provision();
        assertThat(tenant.post(CREDENTIALS, Map.of("c", "shippo"))
                .getList("data.credentials.id")).containsExactly(credentialId);
        return credentialId;
    }

    /**
     * A type that is not the listing's needs the catalog to be told apart; while the catalog cannot be read, the
     * credentials typed as the listing's are still served (here through {@code credential(id)}, which lists the
     * connector of a recorded credential without asking for the catalog first).
     */
    @Test
    void withoutTheCatalogOnlyCredentialsTypedAsTheListingsAreShown() {
        TenantClient tenant = TenantClient.newTenant("no-catalog");
        String credentialId = provisionedWithItsShippoCredential(tenant);
        String bare = "b" + credentialId.substring(1);
        alloy.stubFor(get("/connectors/shippo/credentials").willReturn(okJson("""
                {"credentials":[{"credentialId":"%s","type":"shippo-apiKey"},{"credentialId":"%s","type":"apiKey"}]}"""
                .formatted(credentialId, bare))));
        alloy.stubFor(get("/connectors").willReturn(aResponse().withStatus(400).withHeader("Content-Type",
                "application/json").withBody("""
                        {"error":{"source":"CONNECTIVITY_API","code":"INVALID_INPUT","message":"no"}}""")));
        state.reset();
        String one = "query($id: ID!) { credential(id: $id) { id connectorId } }";
        JsonPath found = tenant.post(one, Map.of("id", credentialId));
        assertThat(found.getString("data.credential.connectorId")).as(found.prettify()).isEqualTo("shippo");

        // With the catalog back, the bare type names no connector: the credential is the listing's.
        alloy.stubFor(get("/connectors").willReturn(okJson("""
                {"connectors":[{"id":"shippo","name":"Shippo"}]}""")));
        state.reset();
        assertThat(tenant.post(CREDENTIALS, Map.of("c", "shippo")).getList("data.credentials.id"))
                .containsExactly(credentialId, bare);
    }

    private static JsonPath use(TenantClient who, String operation, String connector, String credentialId) {
        if (operation.startsWith("delete")) {
            return who.post(DELETE, Map.of("c", connector, "id", credentialId));
        }
        return who.execute(Map.of("connectorId", connector, "actionId", "createAddress", "credentialId", credentialId,
                "requestBody", Map.of("zip", "94117")));
    }

    @Test
    void aCredentialsConnectorIsWhatAlloySaysNeverAGuess() {
        TenantClient tenant = TenantClient.newTenant("truthful");
        String userId = tenant.provision();
        // Listed under notion but typed as hubspot's: not shown, not recorded. Typed in another form that names
        // no connector ("looks like" is all the reference says of the form): notion's, as listed.
        alloy.stubFor(get("/connectors/notion/credentials").willReturn(okJson("""
                {"credentials":[{"credentialId":"mismatch1","type":"hubspot-oauth2"},
                                {"credentialId":"notion1","type":"notion-oauth2"},
                                {"credentialId":"bare1","type":"oauth2"}]}""")));
        assertThat(tenant.post(CREDENTIALS, Map.of("c", "notion"))
                .getList("data.credentials.id")).containsExactly("notion1", "bare1");
        // The list of all connectors: each under the catalog connector its type names; an unknown type is left out.
        alloy.stubFor(get("/users/" + userId + "/credentials").willReturn(okJson("""
                {"data":[{"credentialId":"hub1","type":"hubspot-oauth2"},{"credentialId":"odd1","type":"mystery-apiKey"},
                         {"credentialId":"notion1","type":"whatever"},{"credentialId":"none1"},
                         {"credentialId":"bare1","type":"oauth2"}]}""")));
        JsonPath all = tenant.post("{ credentials { id connectorId } }", Map.of());
        assertThat(all.getList("data.credentials.id")).containsExactly("hub1", "notion1", "bare1");
        assertThat(all.getList("data.credentials.connectorId")).containsExactly("hubspot", "notion", "notion");
        // The mismatched one was never recorded as the caller's: it cannot be used.
        JsonPath refused = tenant.post(DELETE, Map.of("c", "notion", "id", "mismatch1"));
        assertThat(refused.getString("errors[0].extensions.code")).isEqualTo("NOT_FOUND");
        alloy.verify(0, deleteRequestedFor(urlPathMatching(".*/mismatch1")));
    }
}
