package com.alloygateway.alloy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import jakarta.json.JsonObject;

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
    void credentialMetadataInTheDocumentedForm() {
        AlloyCredentialMetadata m = AlloyCredentialMetadata.from((JsonObject) JsonSupport.parse("""
                {"authenticationType":"apiKey","authConfigRequired":false,
                 "inputSchema":{"type":"object","required":["apiKey"]},"sampleInput":{"apiKey":"k"}}"""));
        assertThat(m.authenticationType()).isEqualTo("apiKey");
        assertThat(m.authConfigRequired()).isFalse();
        assertThat(m.inputSchema().asJsonObject().getJsonArray("required").getString(0)).isEqualTo("apiKey");
    }

    @Test
    void credentialMetadataInTheSeedFormBecomesASchemaOfTheConnectorsOwnFields() {
        AlloyCredentialMetadata m = AlloyCredentialMetadata.from((JsonObject) JsonSupport.parse("""
                {"authenticationType":"basic","properties":[
                  {"name":"userId","required":true,"type":"string"},
                  {"name":"username","required":true,"type":"string"},
                  {"name":"region","required":false,"type":"string"}]}"""));
        JsonObject schema = m.inputSchema().asJsonObject();
        assertThat(schema.getJsonObject("properties").keySet()).containsExactly("username", "region");
        assertThat(schema.getJsonArray("required").getValuesAs(jakarta.json.JsonString::getString))
                .containsExactly("username");
    }

    @Test
    void listsComeWrappedOrBare() {
        assertThat(AlloyClient.list(JsonSupport.parse("{\"connectors\":[{\"id\":\"a\"}]}"), "connectors",
                AlloyConnector::from)).extracting(AlloyConnector::id).containsExactly("a");
        assertThat(AlloyClient.list(JsonSupport.parse("{\"data\":[{\"id\":\"b\"}]}"), "connectors",
                AlloyConnector::from)).extracting(AlloyConnector::id).containsExactly("b");
        assertThat(AlloyClient.list(JsonSupport.parse("[{\"id\":\"c\"},{\"name\":\"no id\"}]"), "connectors",
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
