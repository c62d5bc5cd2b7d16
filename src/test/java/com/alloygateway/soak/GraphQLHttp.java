package com.alloygateway.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Posts GraphQL documents as a frontend does (JSON body, bearer token), with the JDK's HTTP client: it is safe
 * to share between the soak's many threads, and light next to the gateway it shares the machine with.
 */
final class GraphQLHttp {

    /** An answer: its HTTP status and body (an empty object if it was not JSON). */
    record Answer(int status, JsonNode body) {
        JsonNode firstError() {
            return body.path("errors").path(0);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final URI endpoint;

    GraphQLHttp(URI endpoint) {
        this.endpoint = endpoint;
    }

    Answer post(String token, String query, Map<String, Object> variables) {
        ObjectNode request = mapper.createObjectNode().put("query", query);
        request.set("variables", mapper.valueToTree(variables));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint)
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(request))).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), parse(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    ObjectMapper mapper() {
        return mapper;
    }

    private JsonNode parse(String body) {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }
}
