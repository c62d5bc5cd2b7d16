package com.alloygateway.graphql;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import graphql.language.AstPrinter;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.TypeDefinition;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The served SDL keeps the contract with frontend teams ({@code contract.graphql}, copied from DESIGN.md):
 * every type, field, argument, default and nullability there is served as written. Additions are fine.
 */
@QuarkusTest
class SchemaContractTest {

    @Test
    void theServedSchemaKeepsTheContract() throws IOException {
        String sdl = given().when().get("/graphql/schema.graphql").then().statusCode(200).extract().asString();
        // Kept for review and for frontends' code generators.
        Files.writeString(Path.of("target", "schema.graphql"), sdl);
        TypeDefinitionRegistry served = new SchemaParser().parse(sdl);
        TypeDefinitionRegistry contract;
        try (InputStream in = getClass().getResourceAsStream("/contract.graphql")) {
            contract = new SchemaParser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }

        List<String> broken = new ArrayList<>();
        for (TypeDefinition<?> wanted : contract.types().values()) {
            Optional<TypeDefinition> got = served.getType(wanted.getName());
            if (got.isEmpty()) {
                broken.add("missing type " + wanted.getName());
                continue;
            }
            if (wanted instanceof ObjectTypeDefinition o) {
                compareFields(o.getName(), o.getFieldDefinitions(),
                        ((ObjectTypeDefinition) got.get()).getFieldDefinitions(), broken);
            } else if (wanted instanceof InputObjectTypeDefinition i) {
                compareInputs(i.getName(), i.getInputValueDefinitions(),
                        ((InputObjectTypeDefinition) got.get()).getInputValueDefinitions(), broken);
            } else if (wanted instanceof EnumTypeDefinition e) {
                List<String> values = ((EnumTypeDefinition) got.get()).getEnumValueDefinitions().stream()
                        .map(EnumValueDefinition::getName).toList();
                e.getEnumValueDefinitions().stream().map(EnumValueDefinition::getName)
                        .filter(v -> !values.contains(v))
                        .forEach(v -> broken.add("enum " + e.getName() + " lacks " + v));
            }
        }
        for (var wanted : contract.scalars().keySet()) {
            if (!served.scalars().containsKey(wanted)) {
                broken.add("missing scalar " + wanted);
            }
        }
        assertThat(broken).isEmpty();
    }

    private static void compareFields(String type, List<FieldDefinition> wanted, List<FieldDefinition> got,
            List<String> broken) {
        Map<String, FieldDefinition> byName = got.stream()
                .collect(Collectors.toMap(FieldDefinition::getName, Function.identity()));
        for (FieldDefinition w : wanted) {
            FieldDefinition g = byName.get(w.getName());
            String where = type + "." + w.getName();
            if (g == null) {
                broken.add("missing field " + where);
                continue;
            }
            if (!AstPrinter.printAst(w.getType()).equals(AstPrinter.printAst(g.getType()))) {
                broken.add(where + " is " + AstPrinter.printAst(g.getType()) + ", contract says "
                        + AstPrinter.printAst(w.getType()));
            }
            compareInputs(where, w.getInputValueDefinitions(), g.getInputValueDefinitions(), broken);
        }
    }

    private static void compareInputs(String where, List<InputValueDefinition> wanted, List<InputValueDefinition> got,
            List<String> broken) {
        Map<String, InputValueDefinition> byName = got.stream()
                .collect(Collectors.toMap(InputValueDefinition::getName, Function.identity()));
        for (InputValueDefinition w : wanted) {
            InputValueDefinition g = byName.get(w.getName());
            if (g == null) {
                broken.add(where + " lacks argument/field " + w.getName());
                continue;
            }
            if (!AstPrinter.printAst(w.getType()).equals(AstPrinter.printAst(g.getType()))) {
                broken.add(where + "(" + w.getName() + ") is " + AstPrinter.printAst(g.getType())
                        + ", contract says " + AstPrinter.printAst(w.getType()));
            }
            String wantedDefault = w.getDefaultValue() == null ? null : AstPrinter.printAst(w.getDefaultValue());
            String gotDefault = g.getDefaultValue() == null ? null : AstPrinter.printAst(g.getDefaultValue());
            if (wantedDefault != null && !wantedDefault.equals(gotDefault)) {
                broken.add(where + "(" + w.getName() + ") defaults to " + gotDefault + ", contract says "
                        + wantedDefault);
            }
        }
        // A new argument must not be required, or existing queries break.
        for (InputValueDefinition g : got) {
            boolean added = wanted.stream().noneMatch(w -> w.getName().equals(g.getName()));
            if (added && AstPrinter.printAst(g.getType()).endsWith("!") && g.getDefaultValue() == null) {
                broken.add(where + " adds a required " + g.getName());
            }
        }
    }
}
