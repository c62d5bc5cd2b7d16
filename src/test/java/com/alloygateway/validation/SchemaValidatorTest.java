package com.alloygateway.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;

import jakarta.json.JsonValue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.alloygateway.support.Jsonp;

/**
 * The validator reads JSON-P values as Jackson trees built node by node: each must be the tree Jackson's own parser
 * makes of the value's text (node types included, as a schema's {@code type: integer} or {@code multipleOf} reads
 * them), so validation answers as it did when the text was written out and parsed again.
 */
class SchemaValidatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
            "{}", "[]", "null", "true", "false", "\"\"", "\"caf\u00e9 \\u2603 \\\"q\\\" \\n\"",
            "0", "-1", "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807",
            "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
            "1.5", "4.0", "-0.0", "1e2", "1E-3", "2.5e300", "0.1000000000000000055511151231257827",
            "{\"a\":{\"b\":[1,2.0,\"3\",null,{\"c\":false}]},\"d\":[],\"e\":{}}",
            "[[[]],[{}],[1,[2,[3]]]]",
            "{\"name\":\"Jane\",\"zip\":94117,\"weight\":1.25,\"tags\":[\"x\",\"y\"],\"meta\":null}"
    })
    void buildsTheTreeJacksonParses(String text) throws Exception {
        JsonValue value = Jsonp.JSON.createReader(new StringReader(text)).readValue();
        JsonNode built = SchemaValidator.toJackson(value);
        // What the validator read before: the value written out (JSON-P's text of it: -0.0 is 0.0 there) and parsed.
        JsonNode parsed = MAPPER.readTree(value.toString());

        assertThat(built).isEqualTo(parsed);
        assertSameNodeTypes(built, parsed);
    }

    private static void assertSameNodeTypes(JsonNode built, JsonNode parsed) {
        assertThat(built.getClass()).as("node type of %s", parsed).isEqualTo(parsed.getClass());
        if (parsed.isContainerNode()) {
            assertThat(built.size()).isEqualTo(parsed.size());
            if (parsed.isArray()) {
                for (int i = 0; i < parsed.size(); i++) {
                    assertSameNodeTypes(built.get(i), parsed.get(i));
                }
            } else {
                parsed.fieldNames().forEachRemaining(name -> assertSameNodeTypes(built.get(name), parsed.get(name)));
            }
        }
    }
}
