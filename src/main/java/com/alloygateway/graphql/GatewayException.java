package com.alloygateway.graphql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.alloygateway.validation.Violation;

/**
 * A business failure with its error code and the extensions a client may rely on.
 * {@link GraphQLErrorNormalizer} is the one place that turns failures into GraphQL errors.
 */
public class GatewayException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> extensions;

    public GatewayException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public GatewayException(ErrorCode code, String message, Map<String, Object> extensions) {
        super(message, null, false, false);
        this.code = code;
        this.extensions = Map.copyOf(extensions);
    }

    public ErrorCode code() {
        return code;
    }

    /** Extensions besides {@code code}, in a JSON-friendly shape (strings, numbers, booleans, lists, maps). */
    public Map<String, Object> extensions() {
        return extensions;
    }

    /** A copy with one more extension (e.g. the execution id added by the caller). */
    public GatewayException with(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(key, value);
        return new GatewayException(code, getMessage(), more);
    }

    public static GatewayException notFound(String what) {
        return new GatewayException(ErrorCode.NOT_FOUND, what + " not found");
    }

    public static GatewayException invalidInput(String path, String message) {
        return invalidInput(List.of(new Violation(path, message)));
    }

    public static GatewayException invalidInput(List<Violation> violations) {
        String summary = violations.size() == 1
                ? "Invalid input: " + violations.get(0).message()
                : "Invalid input: " + violations.size() + " violations";
        return new GatewayException(ErrorCode.INVALID_INPUT, summary,
                Map.of("violations", violations.stream().map(Violation::toMap).toList()));
    }
}
