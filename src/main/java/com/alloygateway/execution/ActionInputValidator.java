package com.alloygateway.execution;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import com.alloygateway.alloy.JsonSupport;
import com.alloygateway.catalog.Action;
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
    private static final Map<String, String> SOURCES = Map.of(
            "path", "pathParams", "query", "queryParameters", "header", "additionalHeaders");

    private final SchemaValidator schemas;

    ActionInputValidator(SchemaValidator schemas) {
        this.schemas = schemas;
    }

    public List<Violation> validate(Action action, ExecuteActionInput input) {
        List<Violation> violations = new ArrayList<>();
        JsonObject query = objectOrEmpty(input.queryParameters, "queryParameters", violations);
        JsonObject path = objectOrEmpty(input.pathParams, "pathParams", violations);
        JsonObject headers = objectOrEmpty(input.additionalHeaders, "additionalHeaders", violations);
        checkHeaders(headers, violations);
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

    private static void checkHeaders(JsonObject headers, List<Violation> violations) {
        if (headers.size() > MAX_HEADERS) {
            violations.add(new Violation("/input/additionalHeaders", "at most " + MAX_HEADERS + " headers"));
            return;
        }
        for (Map.Entry<String, JsonValue> header : headers.entrySet()) {
            String pointer = "/input/additionalHeaders/" + escape(header.getKey());
            if (!HEADER_NAME.matcher(header.getKey()).matches()) {
                violations.add(new Violation(pointer, "is not a valid header name"));
            } else if (!(header.getValue() instanceof JsonString s) || s.getString().length() > 4096
                    || s.getString().chars().anyMatch(c -> c == '\r' || c == '\n')) {
                violations.add(new Violation(pointer, "must be a single-line string of at most 4096 characters"));
            }
        }
    }

    /** A JSON pointer reference token (RFC 6901). */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
