package com.alloygateway.validation;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import io.quarkus.logging.Log;

/**
 * Validates JSON against the JSON Schemas Alloy publishes (action request bodies, credential input), with
 * networknt's json-schema-validator. Compiled schemas are kept (bounded); a schema never fetches anything
 * remote, whatever its {@code $ref}s say.
 */
@ApplicationScoped
public class SchemaValidator {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SchemaRegistry registry;
    /** Compiled schemas by their text (bounded: {@value #CACHE} in application.properties). */
    private final CaffeineCache compiled;

    static final String CACHE = "compiled-schemas";

    SchemaValidator(@CacheName(CACHE) Cache compiled) {
        this.compiled = compiled.as(CaffeineCache.class);
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemaLoader(loader -> loader.fetchRemoteResources(false))
                .schemaRegistryConfig(SchemaRegistryConfig.builder()
                        .pathType(PathType.JSON_POINTER)
                        .formatAssertionsEnabled(true)
                        .build()));
    }

    /**
     * Violations of {@code instance} against {@code schema}, each with a JSON pointer under {@code basePath}
     * (e.g. {@code /input/requestBody/properties/email}). An unusable schema validates nothing: it is Alloy's
     * to fix, and Alloy still checks the call. An instance that cannot be read is a violation (fails closed).
     */
    public List<Violation> validate(JsonValue schema, JsonValue instance, String basePath) {
        if (schema == null || schema.getValueType() != JsonValue.ValueType.OBJECT) {
            return List.of();
        }
        Schema compiledSchema;
        try {
            compiledSchema = compiled(schema);
        } catch (SchemaException | IllegalArgumentException e) {
            Log.warnf("Alloy published a JSON Schema that cannot be used (%s); skipping validation", e.getMessage());
            return List.of();
        }
        JsonNode node;
        try {
            node = toJackson(instance == null ? JsonValue.NULL : instance);
        } catch (IllegalArgumentException unreadable) {
            // Input the validator cannot read is refused, never let through unchecked.
            return List.of(new Violation(basePath.isEmpty() ? "/" : basePath, "cannot be read as JSON"));
        }
        List<Violation> violations = new ArrayList<>();
        for (Error error : compiledSchema.validate(node)) {
            String location = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
            if (location.equals("/")) {
                location = "";
            }
            String message = error.getMessage();
            String prefix = (location.isEmpty() ? "" : location) + ": ";
            if (message != null && message.startsWith(prefix)) {
                message = message.substring(prefix.length());
            } else if (message != null && message.startsWith(": ")) {
                message = message.substring(2);
            }
            String path = basePath + location;
            if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
                path = path + "/" + error.getProperty();
            }
            violations.add(new Violation(path, message));
        }
        return violations;
    }

    /**
     * Compiled once per schema. The key is the schema itself: JSON-P values are equal by content, and the catalog
     * hands out the same instance for as long as it caches the action, so a hit is found by identity, without
     * writing the schema out. Compiling is synchronous and cheap to repeat, so a race compiles twice rather than
     * waiting.
     */
    private Schema compiled(JsonValue schemaValue) {
        CompletableFuture<Schema> known = compiled.getIfPresent(schemaValue);
        Schema schema = known == null ? null : known.getNow(null);
        if (schema == null) {
            schema = registry.getSchema(toJackson(schemaValue));
            compiled.put(schemaValue, CompletableFuture.completedFuture(schema));
        }
        return schema;
    }

    /**
     * The JSON-P value as the Jackson tree the validator reads, built node by node rather than written out as
     * text and parsed again; numbers become the nodes Jackson's own parser makes of their text (integers as int,
     * long or big integer by size, other numbers as double).
     */
    static JsonNode toJackson(JsonValue value) {
        switch (value.getValueType()) {
            case OBJECT: {
                ObjectNode node = NODES.objectNode();
                for (Map.Entry<String, JsonValue> member : value.asJsonObject().entrySet()) {
                    node.set(member.getKey(), toJackson(member.getValue()));
                }
                return node;
            }
            case ARRAY: {
                ArrayNode node = NODES.arrayNode();
                for (JsonValue item : value.asJsonArray()) {
                    node.add(toJackson(item));
                }
                return node;
            }
            case STRING:
                return NODES.textNode(((JsonString) value).getString());
            case NUMBER:
                return number((JsonNumber) value);
            case TRUE:
                return NODES.booleanNode(true);
            case FALSE:
                return NODES.booleanNode(false);
            case NULL:
                return NODES.nullNode();
            default:
                throw new IllegalArgumentException("not JSON: " + value.getValueType());
        }
    }

    private static JsonNode number(JsonNumber number) {
        if (!number.isIntegral()) {
            return NODES.numberNode(number.doubleValue());
        }
        BigInteger integer = number.bigIntegerValue();
        if (integer.bitLength() < Integer.SIZE) {
            return NODES.numberNode(integer.intValue());
        }
        return integer.bitLength() < Long.SIZE ? NODES.numberNode(integer.longValue()) : NODES.numberNode(integer);
    }
}
