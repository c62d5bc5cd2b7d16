package com.alloygateway.execution;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import com.alloygateway.alloy.JsonSupport;
import com.alloygateway.catalog.Action;
import com.alloygateway.validation.JsonInputs;
import com.alloygateway.validation.SchemaValidator;
import com.alloygateway.validation.Violation;

/**
 * Checks an execution's input against what the action declares, before anything is sent: the request body
 * against its JSON Schema, and its path, query and header parameters (required ones present, values valid
 * against their schemas, every {@code {placeholder}} of the path filled). Violations are JSON pointers into
 * {@code input}.
 */
@ApplicationScoped
public class ActionInputValidator {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}/]+)}");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
    private static final int MAX_HEADERS = 50;
    private static final Pattern UNSAFE_IN_PATH = Pattern.compile("[/\\\\%?#@\\x00-\\x1f\\x7f]");
    private static final Set<String> FORBIDDEN_HEADERS = Set.of("connection", "keep-alive", "te", "trailer",
            "trailers", "transfer-encoding", "upgrade", "authorization", "cookie", "set-cookie", "host",
            "forwarded", "via", "x-real-ip", "x-request-id", "expect");
    private static final Map<String, String> SOURCES = Map.of(
            "path", "pathParams", "query", "queryParameters", "header", "additionalHeaders");

    private final SchemaValidator schemas;
    private final JsonInputs jsonInputs;

    ActionInputValidator(SchemaValidator schemas, JsonInputs jsonInputs) {
        this.schemas = schemas;
        this.jsonInputs = jsonInputs;
    }

    public List<Violation> validate(Action action, ExecuteActionInput input) {
        List<Violation> violations = new ArrayList<>();
        for (Map.Entry<String, JsonValue> part : Map.of("requestBody", orNull(input.requestBody), "queryParameters",
                orNull(input.queryParameters), "pathParams", orNull(input.pathParams), "additionalHeaders",
                orNull(input.additionalHeaders)).entrySet()) {
            violations.addAll(jsonInputs.check(part.getValue(), "/input/" + part.getKey()));
        }
        if (!violations.isEmpty()) {
            return violations;
        }
        JsonObject query = objectOrEmpty(input.queryParameters, "queryParameters", violations);
        JsonObject path = objectOrEmpty(input.pathParams, "pathParams", violations);
        JsonObject headers = objectOrEmpty(input.additionalHeaders, "additionalHeaders", violations);
        checkHeaders(headers, declaredHeaders(action), violations);
        checkPathValues(path, action, violations);
        Map<String, JsonObject> sources = Map.of("pathParams", path, "queryParameters", query,
                "additionalHeaders", headers);

        Set<String> requiredPath = new LinkedHashSet<>();
        Matcher placeholders = PLACEHOLDER.matcher(action.path());
        while (placeholders.find()) {
            requiredPath.add(placeholders.group(1));
        }
        if (action.parameters() instanceof JsonArray parameters) {
            for (JsonObject parameter : JsonSupport.objects(parameters)) {
                String name = JsonSupport.string(parameter, "name");
                String source = SOURCES.get(String.valueOf(JsonSupport.string(parameter, "in")));
                if (name == null || source == null) {
                    continue;
                }
                JsonValue value = JsonSupport.value(sources.get(source), name);
                String pointer = "/input/" + source + "/" + escape(name);
                if (value == null) {
                    if (Boolean.TRUE.equals(JsonSupport.bool(parameter, "required"))
                            && !(source.equals("pathParams") && requiredPath.contains(name))) {
                        violations.add(new Violation(pointer, "is required"));
                    }
                    continue;
                }
                violations.addAll(schemas.validate(JsonSupport.value(parameter, "schema"), value, pointer));
            }
        }
        for (String name : requiredPath) {
            if (JsonSupport.value(path, name) == null) {
                violations.add(new Violation("/input/pathParams/" + escape(name), "is required"));
            }
        }
        if (action.requestBody() != null) {
            JsonValue body = input.requestBody == null || input.requestBody == JsonValue.NULL
                    ? JsonValue.EMPTY_JSON_OBJECT
                    : input.requestBody;
            violations.addAll(schemas.validate(action.requestBody(), body, "/input/requestBody"));
        }
        return violations;
    }

    private static JsonObject objectOrEmpty(JsonValue value, String field, List<Violation> violations) {
        if (value == null || value == JsonValue.NULL) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        if (value instanceof JsonObject o) {
            return o;
        }
        violations.add(new Violation("/input/" + field, "must be a JSON object"));
        return JsonValue.EMPTY_JSON_OBJECT;
    }

    /**
     * Headers for the third party: only those the action declares ({@code in: header}) where it declares any;
     * else none that steer the exchange itself (hop-by-hop, authentication, cookies, host, forwarding,
     * {@code content-*}, Alloy's own). Values are single-line strings without control characters.
     */
    private static void checkHeaders(JsonObject headers, Set<String> declared, List<Violation> violations) {
        if (headers.size() > MAX_HEADERS) {
            violations.add(new Violation("/input/additionalHeaders", "at most " + MAX_HEADERS + " headers"));
            return;
        }
        for (Map.Entry<String, JsonValue> header : headers.entrySet()) {
            String name = header.getKey();
            String lower = name.toLowerCase(Locale.ROOT);
            String pointer = "/input/additionalHeaders/" + escape(name);
            if (!HEADER_NAME.matcher(name).matches()) {
                violations.add(new Violation(pointer, "is not a valid header name"));
            } else if (!declared.isEmpty() && !declared.contains(lower)) {
                violations.add(new Violation(pointer, "is not a header this action takes"));
            } else if (declared.isEmpty() && forbiddenHeader(lower)) {
                violations.add(new Violation(pointer, "may not be set by the caller"));
            } else if (!(header.getValue() instanceof JsonString s) || s.getString().length() > 4096
                    || s.getString().chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                violations.add(new Violation(pointer,
                        "must be a string of at most 4096 characters without control characters"));
            }
        }
    }

    private static boolean forbiddenHeader(String lower) {
        return FORBIDDEN_HEADERS.contains(lower) || lower.startsWith("content-") || lower.startsWith("x-alloy-")
                || lower.startsWith("x-api-") || lower.startsWith("x-forwarded-") || lower.startsWith("proxy-")
                || lower.startsWith("sec-");
    }

    private static Set<String> declaredHeaders(Action action) {
        Set<String> names = new LinkedHashSet<>();
        if (action.parameters() instanceof JsonArray parameters) {
            for (JsonObject p : JsonSupport.objects(parameters)) {
                if ("header".equals(JsonSupport.string(p, "in")) && JsonSupport.string(p, "name") != null) {
                    names.add(JsonSupport.string(p, "name").toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    /**
     * Path values end up inside the third party's URL: strings or numbers that cannot leave their segment (no
     * {@code /}, {@code \\}, {@code %}, {@code ..}, {@code ?}, {@code #}, {@code @} or control characters),
     * unless the action's parameter says {@code allowReserved}.
     */
    private static void checkPathValues(JsonObject path, Action action, List<Violation> violations) {
        Set<String> reservedAllowed = new LinkedHashSet<>();
        if (action.parameters() instanceof JsonArray parameters) {
            for (JsonObject p : JsonSupport.objects(parameters)) {
                if ("path".equals(JsonSupport.string(p, "in")) && Boolean.TRUE.equals(JsonSupport.bool(p, "allowReserved"))) {
                    reservedAllowed.add(JsonSupport.string(p, "name"));
                }
            }
        }
        for (Map.Entry<String, JsonValue> e : path.entrySet()) {
            String pointer = "/input/pathParams/" + escape(e.getKey());
            JsonValue v = e.getValue();
            if (!(v instanceof JsonString) && !(v instanceof JsonNumber)) {
                violations.add(new Violation(pointer, "must be a string or a number"));
            } else if (v instanceof JsonString s && !reservedAllowed.contains(e.getKey())
                    && (UNSAFE_IN_PATH.matcher(s.getString()).find() || s.getString().contains("..")
                            || s.getString().isEmpty())) {
                violations.add(new Violation(pointer,
                        "must be one non-empty path segment: no / \\ % .. ? # @ or control characters"));
            }
        }
    }

    private static JsonValue orNull(JsonValue value) {
        return value == null ? JsonValue.NULL : value;
    }

    /** A JSON pointer reference token (RFC 6901). */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
