package com.alloygateway;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.alloygateway.testing.AlloyStubs;
import com.alloygateway.testing.GatewayState;
import com.alloygateway.testing.InjectWireMock;
import com.alloygateway.testing.TenantClient;
import com.alloygateway.testing.TracedProfile;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * With tracing on: a request's trace holds its server span, a span per call to Alloy and per database unit of
 * work, continuing the caller's {@code traceparent}; and nothing of the trace (no {@code traceparent},
 * {@code tracestate} or {@code baggage}) reaches Alloy.
 */
@QuarkusTest
@TestProfile(TracedProfile.class)
class TracingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @InjectWireMock
    WireMockServer alloy;

    @Inject
    GatewayState state;

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aRequestIsOneTraceWithItsAlloyCallsAndUnitsOfWorkAndAlloyNeverSeesIt() {
        alloy.resetAll();
        state.reset();
        AlloyStubs.everyUserExists(alloy);
        alloy.stubFor(get("/connectors").willReturn(okJson("""
                {"connectors":[{"id":"shippo","name":"Shippo"}]}""")));
        TenantClient tenant = TenantClient.newTenant("traced");
        spans.reset();

        given().auth().oauth2(tenant.token).contentType(ContentType.JSON)
                .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
                .header("tracestate", "vendor=secret")
                .header("baggage", "tenant=someone-else")
                .body(Map.of("query", "mutation Provision { createUser { alloyUserId } }", "operationName", "Provision"))
                .post("/graphql").then().statusCode(200);
        given().auth().oauth2(tenant.token).contentType(ContentType.JSON)
                .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b8-01")
                .body(Map.of("query", "{ connectors { id } }"))
                .post("/graphql").then().statusCode(200);

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<SpanData> trace = spans.getFinishedSpanItems().stream()
                    .filter(span -> span.getTraceId().equals(TRACE_ID)).toList();
            assertThat(trace).anySatisfy(span -> {
                assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
                assertThat(span.getAttributes().get(AttributeKey.stringKey("graphql.operation.type")))
                        .isEqualTo("mutation");
                assertThat(span.getAttributes().get(AttributeKey.stringKey("graphql.operation.name")))
                        .isEqualTo("Provision");
            });
            assertThat(trace).extracting(SpanData::getName)
                    .contains("Alloy GET /users/{u}", "Alloy GET /connectors", "db transaction");
        });
        List<LoggedRequest> received = alloy.findAll(anyRequestedFor(anyUrl()));
        assertThat(received).isNotEmpty().allSatisfy(request -> {
            assertThat(request.containsHeader("traceparent")).as("traceparent to Alloy").isFalse();
            assertThat(request.containsHeader("tracestate")).as("tracestate to Alloy").isFalse();
            assertThat(request.containsHeader("baggage")).as("baggage to Alloy").isFalse();
        });
    }
}
