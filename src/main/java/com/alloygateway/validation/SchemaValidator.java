package com.alloygateway.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonValue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    private final ObjectMapper mapper;
    private final SchemaRegistry registry;
    /** Compiled schemas by their text (bounded: {@value #CACHE} in application.properties). */
    private final CaffeineCache compiled;

    static final String CACHE = "compiled-schemas";

    SchemaValidator(ObjectMapper mapper, @CacheName(CACHE) Cache compiled) {
        this.mapper = mapper;
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
            compiledSchema = compiled(schema.toString());
        } catch (SchemaException | IllegalArgumentException e) {
            Log.warnf("Alloy published a JSON Schema that cannot be used (%s); skipping validation", e.getMessage());
            return List.of();
        }
        JsonNode node;
        try {
            node = read(instance == null ? "null" : instance.toString());
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

    /** Compiling is synchronous and cheap to repeat, so a race compiles twice rather than waiting. */
    private Schema compiled(String schemaText) {
        CompletableFuture<Schema> known = compiled.getIfPresent(schemaText);
        Schema schema = known == null ? null : known.getNow(null);
        if (schema == null) {
            schema = registry.getSchema(read(schemaText));
            compiled.put(schemaText, CompletableFuture.completedFuture(schema));
        }
        return schema;
    }

    private JsonNode read(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
    }
}
