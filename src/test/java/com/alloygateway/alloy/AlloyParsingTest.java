package com.alloygateway.alloy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import org.junit.jupiter.api.Test;

import com.alloygateway.alloy.AlloyHttpException.Source;

/** Both forms of each answer ALLOY-API.md records, and both error forms. */
class AlloyParsingTest {

    @Test
    void theSeedsErrorEnvelope() {
        AlloyHttpException e = AlloyErrors.fromResponse(502, """
                {"error":{"source":"THIRD_PARTY","code":"INTERNAL_ERROR","message":"Provider failed",
                 "details":{"httpStatusCode":503}}}""", Duration.ofSeconds(2));
        assertThat(e.source()).isEqualTo(Source.THIRD_PARTY);
        assertThat(e.code()).contains("INTERNAL_ERROR");
        assertThat(e.getMessage()).isEqualTo("Provider failed");
        assertThat(e.status()).isEqualTo(502);
        assertThat(e.effectiveStatus()).isEqualTo(503);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
    }

    @Test
    void theFlatFormSeenInTheWild() {
        AlloyHttpException e = AlloyErrors.fromResponse(404,
                "{\"code\":\"AUTHENTICATION_NOT_FOUND\",\"message\":\"Credential not found\"}", null);
        assertThat(e.source()).isEqualTo(Source.CONNECTIVITY_API);
        assertThat(e.code()).contains("AUTHENTICATION_NOT_FOUND");
        assertThat(e.getMessage()).isEqualTo("Credential not found");
        assertThat(e.effectiveStatus()).isEqualTo(404);
    }

    @Test
    void aBodyThatIsNotJsonStillGivesTheStatus() {
        AlloyHttpException e = AlloyErrors.fromResponse(503, "<html>Bad gateway</html>", null);
        assertThat(e.getMessage()).isEqualTo("Alloy answered HTTP 503");
        assertThat(e.code()).isEmpty();
    }

    @Test
    void credentialMetadataInTheDocumentedFormDescribesTheWholeBody() {
        // As Alloy's reference shows it: the schema and sample of the whole create body, connector fields
        // under data.
        AlloyCredentialMetadata m = AlloyCredentialMetadata.from((JsonObject) JsonSupport.parse("""
                {"authenticationType":"apiKey","authConfigRequired":false,
                 "inputSchema":{"type":"object","required":["userId","authenticationType","data"],
                   "properties":{"userId":{"type":"string"},"authenticationType":{"type":"string"},
                     "data":{"type":"object","required":["subdomain"],"properties":{"subdomain":{"type":"string"}}}}},
                 "sampleInput":{"userId":"689593e23e4c93cae95fd75c","authenticationType":"apiKey",
                   "data":{"subdomain":"acme"}}}"""));
        assertThat(m.authenticationType()).isEqualTo("apiKey");
        assertThat(m.authConfigRequired()).isFalse();
        assertThat(m.inputSchema().asJsonObject().getJsonArray("required").getValuesAs(JsonString::getString))
                .containsExactly("userId", "authenticationType", "data");
        assertThat(m.sampleInput().asJsonObject().getString("userId")).isEqualTo("689593e23e4c93cae95fd75c");
        assertThat(m.dataSchema().asJsonObject().getJsonArray("required").getValuesAs(JsonString::getString))
                .containsExactly("subdomain");
        assertThat(m.sampleData().asJsonObject().getString("subdomain")).isEqualTo("acme");
    }

    @Test
    void anOAuthTypeWithoutDataHasNoDataSchema() {
        AlloyCredentialMetadata m = AlloyCredentialMetadata.from((JsonObject) JsonSupport.parse("""
                {"authenticationType":"oauth2","authConfigRequired":false,
                 "inputSchema":{"type":"object","required":["userId","authenticationType","redirectUri"],
                   "properties":{"userId":{"type":"string"},"redirectUri":{"type":"string"}}},
                 "sampleInput":{"userId":"u","authenticationType":"oauth2","redirectUri":"https://x.example/cb"}}"""));
        assertThat(m.dataSchema()).isNull();
        assertThat(m.sampleData()).isNull();
        assertThat(m.sampleInput().asJsonObject().getString("redirectUri")).isEqualTo("https://x.example/cb");
    }

    @Test
    void credentialMetadataInTheSeedFormBecomesTheSameShape() {
        AlloyCredentialMetadata m = AlloyCredentialMetadata.from((JsonObject) JsonSupport.parse("""
                {"authenticationType":"basic","properties":[
                  {"name":"userId","required":true,"type":"string"},
                  {"name":"redirectUri","required":false,"type":"string"},
                  {"name":"username","required":true,"type":"string"},
                  {"name":"region","required":false,"type":"string"}]}"""));
        JsonObject schema = m.inputSchema().asJsonObject();
        assertThat(schema.getJsonObject("properties").keySet()).containsExactly("userId", "redirectUri", "data");
        assertThat(schema.getJsonArray("required").getValuesAs(JsonString::getString))
                .containsExactly("userId", "data");
        JsonObject data = m.dataSchema().asJsonObject();
        assertThat(data.getJsonObject("properties").keySet()).containsExactly("username", "region");
        assertThat(data.getJsonArray("required").getValuesAs(JsonString::getString)).containsExactly("username");
        assertThat(m.sampleInput()).isNull();
    }

    @Test
    void theSeedsOAuthExampleNeedsNoData() {
        AlloyCredentialMetadata m = AlloyCredentialMetadata.from((JsonObject) JsonSupport.parse("""
                {"authenticationType":"oauth2","properties":[{"name":"userId","required":true,"type":"string"},
                  {"name":"redirectUri","required":true,"type":"string"}]}"""));
        assertThat(m.inputSchema().asJsonObject().getJsonArray("required").getValuesAs(JsonString::getString))
                .containsExactly("userId", "redirectUri");
        assertThat(m.dataSchema()).isNull();
    }

    @Test
    void listsComeWrappedOrBare() {
        assertThat(AlloyAnswers.list(JsonSupport.parse("{\"connectors\":[{\"id\":\"a\"}]}"), "connectors",
                AlloyConnector::from)).extracting(AlloyConnector::id).containsExactly("a");
        assertThat(AlloyAnswers.list(JsonSupport.parse("{\"data\":[{\"id\":\"b\"}]}"), "connectors",
                AlloyConnector::from)).extracting(AlloyConnector::id).containsExactly("b");
        assertThat(AlloyAnswers.list(JsonSupport.parse("[{\"id\":\"c\"},{\"name\":\"no id\"}]"), "connectors",
                AlloyConnector::from)).extracting(AlloyConnector::id).containsExactly("c");
    }

    @Test
    void aConnectorsGroupMayBeASingleString() {
        AlloyConnector c = AlloyConnector.from((JsonObject) JsonSupport.parse(
                "{\"id\":\"x\",\"group\":\"input\",\"category\":[\"crm\",7]}"));
        assertThat(c.groups()).isEqualTo(List.of("input"));
        assertThat(c.categories()).isEqualTo(List.of("crm"));
        assertThat(c.name()).isEqualTo("x");
    }
}
