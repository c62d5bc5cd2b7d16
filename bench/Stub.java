import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Benchmark stand-in for Alloy and for an OIDC issuer, JDK only (run: java bench/Stub.java PORT).
 * Answers at once with fixed, realistic bodies, and counts the calls it gets (GET /_stats).
 * It signs RS256 tokens for any subject: GET /token?sub=NAME.
 * With a second argument N it serves a generated catalog instead of the fixed one: N connectors ({@code shippo}
 * and {@code gen001}...), each with two resources of five actions, every action with its details
 * ({@code createAddress} stays the first of shippo's, with its real schema, so executeAction still works).
 */
public class Stub {

    static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();
    static KeyPair keys;
    static String issuer;
    /** Connectors of the generated catalog; 0 for the fixed one (shippo and hubspot). */
    static int catalog;
    static final int RESOURCES = 2;
    static final int ACTIONS_PER_RESOURCE = 5;

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        catalog = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        issuer = "http://127.0.0.1:" + port;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", Stub::handle);
        server.start();
        System.out.println("stub listening on " + issuer);
    }

    static void handle(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        }
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        String user = ex.getRequestHeaders().getFirst("x-alloy-userid");
        String body;
        int status = 200;
        if (path.equals("/_stats")) {
            StringBuilder sb = new StringBuilder("{");
            COUNTS.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":")
                    .append(v.get()));
            body = sb.append('}').toString();
        } else if (path.equals("/.well-known/openid-configuration")) {
            body = "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\",\"token_endpoint\":\""
                    + issuer + "/token\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
        } else if (path.equals("/jwks")) {
            RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
            body = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"bench\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\""
                    + b64(unsigned(pub.getModulus().toByteArray())) + "\",\"e\":\""
                    + b64(unsigned(pub.getPublicExponent().toByteArray())) + "\"}]}";
        } else if (path.equals("/token")) {
            String query = ex.getRequestURI().getQuery();
            body = token(query != null && query.startsWith("sub=") ? query.substring(4) : "bench");
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            send(ex, 200, body);
            return;
        } else {
            String key = method + " " + path.replaceAll("/[0-9a-f]{24}", "/{id}");
            COUNTS.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
            body = alloy(method, path, user);
            if (body == null) {
                status = 404;
                body = "{\"error\":{\"source\":\"CONNECTIVITY_API\",\"code\":\"NOT_FOUND\",\"message\":\"not found\"}}";
            }
        }
        ex.getResponseHeaders().add("Content-Type", "application/json");
        send(ex, status, body);
    }

    static String alloy(String method, String path, String user) {
        if (catalog > 0 && method.equals("GET")) {
            String generated = generated(path);
            if (generated != null) {
                return generated;
            }
        }
        if (path.equals("/connectors")) {
            return "{\"connectors\":[{\"id\":\"shippo\",\"name\":\"Shippo\",\"icon\":\"https://cdn.example/shippo.png\","
                    + "\"group\":[\"output\"],\"category\":[\"shipping\"]},{\"id\":\"hubspot\",\"name\":\"HubSpot\","
                    + "\"group\":[\"input\"],\"category\":[\"crm\"]}]}";
        }
        if (path.equals("/connectors/shippo/actions/createAddress")) {
            return "{\"action\":{\"id\":\"createAddress\",\"displayName\":\"Create an address\",\"httpMethod\":\"post\","
                    + "\"path\":\"/addresses\",\"parameters\":[],\"requestBody\":{\"type\":\"object\","
                    + "\"required\":[\"name\",\"zip\",\"country\"],\"properties\":{\"name\":{\"type\":\"string\"},"
                    + "\"zip\":{\"type\":\"string\"},\"country\":{\"type\":\"string\",\"minLength\":2,\"maxLength\":2}}}}}";
        }
        if (path.startsWith("/users/") && method.equals("GET") && !path.endsWith("/credentials")) {
            return "{\"userId\":\"" + hex24(path.substring(7)) + "\"}";
        }
        if (path.equals("/connectors/shippo/credentials") && user != null) {
            return "{\"credentials\":[{\"credentialId\":\"c" + user + "\",\"name\":\"Bench\",\"type\":\"shippo-apiKey\","
                    + "\"createdAt\":\"2026-11-23T00:00:00.000Z\",\"updatedAt\":\"2026-11-23T00:00:00.000Z\"}]}";
        }
        if (path.equals("/connectors/shippo/actions/createAddress/execute") && method.equals("POST")) {
            return "{\"responseData\":{\"object_id\":\"d799c2679e644279b59fe661a8a77520\",\"is_complete\":true,"
                    + "\"validation_results\":{\"is_valid\":true,\"messages\":[]}}}";
        }
        return null;
    }

    /** The generated catalog's answers, in Alloy's shapes; null for what it does not serve. */
    static String generated(String path) {
        if (path.equals("/connectors")) {
            StringBuilder sb = new StringBuilder("{\"connectors\":[");
            for (int i = 0; i < catalog; i++) {
                String id = connectorId(i);
                sb.append(i > 0 ? "," : "").append("{\"id\":\"").append(id).append("\",\"name\":\"")
                        .append(i == 0 ? "Shippo" : "Connector " + i).append("\",\"icon\":\"https://cdn.example/").append(id)
                        .append(".png\",\"group\":[\"input\"],\"category\":[\"crm\"]}");
            }
            return sb.append("]}").toString();
        }
        String[] parts = path.split("/"); // "", "connectors", id, "resources" | "actions", actionId
        if (parts.length < 4 || !parts[1].equals("connectors") || connectorIndex(parts[2]) < 0) {
            return null;
        }
        String connector = parts[2];
        if (parts.length == 4 && parts[3].equals("resources")) {
            StringBuilder sb = new StringBuilder("{\"resources\":[");
            for (int r = 0; r < RESOURCES; r++) {
                sb.append(r > 0 ? "," : "").append("{\"name\":\"records").append(r)
                        .append("\",\"description\":\"Records of kind ").append(r).append(".\",\"actions\":[");
                for (int a = 0; a < ACTIONS_PER_RESOURCE; a++) {
                    String action = actionId(connector, r * ACTIONS_PER_RESOURCE + a);
                    sb.append(a > 0 ? "," : "").append("{\"id\":\"").append(action).append("\",\"name\":\"")
                            .append(action).append("\",\"description\":\"Does ").append(action).append(".\"}");
                }
                sb.append("]}");
            }
            return sb.append("]}").toString();
        }
        if (parts.length == 5 && parts[3].equals("actions") && !parts[4].equals("createAddress")
                && actionIndex(connector, parts[4]) >= 0) {
            String action = parts[4];
            return "{\"action\":{\"id\":\"" + action + "\",\"displayName\":\"" + action + "\",\"description\":\"Does "
                    + action + ".\",\"httpMethod\":\"post\",\"path\":\"/records/{recordId}\",\"parameters\":[{\"name\":"
                    + "\"recordId\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\"}}],"
                    + "\"requestBody\":{\"type\":\"object\",\"required\":[\"name\"],\"properties\":{\"name\":"
                    + "{\"type\":\"string\"},\"size\":{\"type\":\"integer\"}}},\"sampleSuccessResponse\":{\"id\":"
                    + "\"string\"}}}";
        }
        return null; // createAddress's details and everything else: the fixed answers
    }

    static String connectorId(int i) {
        return i == 0 ? "shippo" : String.format("gen%03d", i);
    }

    static int connectorIndex(String id) {
        if (id.equals("shippo")) {
            return 0;
        }
        if (id.matches("gen\\d{3}")) {
            int i = Integer.parseInt(id.substring(3));
            return i > 0 && i < catalog ? i : -1;
        }
        return -1;
    }

    static String actionId(String connector, int i) {
        return connector.equals("shippo") && i == 0 ? "createAddress" : "action" + i;
    }

    static int actionIndex(String connector, String action) {
        for (int i = 0; i < RESOURCES * ACTIONS_PER_RESOURCE; i++) {
            if (actionId(connector, i).equals(action)) {
                return i;
            }
        }
        return -1;
    }

    static String token(String subject) {
        try {
            long now = Instant.now().getEpochSecond();
            String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"bench\"}".getBytes(StandardCharsets.UTF_8));
            String claims = b64(("{\"iss\":\"" + issuer + "\",\"sub\":\"" + subject + "\",\"aud\":\"bench\",\"iat\":" + now
                    + ",\"exp\":" + (now + 7200) + "}").getBytes(StandardCharsets.UTF_8));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.getPrivate());
            rsa.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + b64(rsa.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex24(String seed) {
        String h = Integer.toHexString(seed.hashCode() & 0x7fffffff);
        return ("000000000000000000000000" + h).substring(h.length());
    }

    static byte[] unsigned(byte[] b) {
        return b.length > 1 && b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
