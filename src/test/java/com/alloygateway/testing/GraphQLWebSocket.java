package com.alloygateway.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;

/**
 * A graphql-transport-ws client, as a browser or app would open it: the token on the upgrade request, or in
 * the {@code connection_init} payload. Messages are read one at a time, with a timeout.
 */
public final class GraphQLWebSocket implements AutoCloseable {

    private final WebSocket socket;
    private final LinkedBlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();

    private GraphQLWebSocket(URI http, String headerToken) {
        URI ws = URI.create(http.toString().replaceFirst("^http", "ws"));
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols("graphql-transport-ws")
                .connectTimeout(Duration.ofSeconds(5));
        if (headerToken != null) {
            builder.header("Authorization", "Bearer " + headerToken);
        }
        this.socket = builder.buildAsync(ws, new Listener()).join();
    }

    /** Opens a socket with the token on the upgrade and sends an empty {@code connection_init}. */
    public static GraphQLWebSocket withHeader(URI graphql, String token) {
        GraphQLWebSocket client = new GraphQLWebSocket(graphql, token);
        client.send(new JsonObject().put("type", "connection_init").put("payload", new JsonObject()));
        return client;
    }

    /** Opens a socket without a header and sends the token in {@code connection_init}. */
    public static GraphQLWebSocket withInitPayload(URI graphql, String token) {
        GraphQLWebSocket client = new GraphQLWebSocket(graphql, null);
        client.send(new JsonObject().put("type", "connection_init")
                .put("payload", new JsonObject().put("Authorization", "Bearer " + token)));
        return client;
    }

    public void subscribe(String id, String query, Map<String, Object> variables) {
        send(new JsonObject().put("id", id).put("type", "subscribe")
                .put("payload", new JsonObject().put("query", query).put("variables", new JsonObject(variables))));
    }

    /** The next message, skipping pings; fails after five seconds. */
    public JsonObject next() {
        try {
            while (true) {
                JsonObject message = received.poll(5, TimeUnit.SECONDS);
                if (message == null) {
                    throw new AssertionError("no message within 5 s; socket: " + (closed.isDone()
                            ? closed.handle((code, error) -> code != null ? "closed " + code : "failed " + error).join()
                            : "open"));
                }
                if ("ping".equals(message.getString("type"))) {
                    send(new JsonObject().put("type", "pong"));
                    continue;
                }
                return message;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Messages until (and with) the first of one of these types. */
    public List<JsonObject> until(String... types) {
        List<String> wanted = List.of(types);
        List<JsonObject> out = new ArrayList<>();
        while (true) {
            JsonObject message = next();
            out.add(message);
            if (wanted.contains(message.getString("type"))) {
                return out;
            }
        }
    }

    private void send(JsonObject message) {
        socket.sendText(message.encode(), true).join();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(new JsonObject(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }
    }
}
