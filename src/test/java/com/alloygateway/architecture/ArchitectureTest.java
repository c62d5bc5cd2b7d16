package com.alloygateway.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;

/**
 * Imports go one way (docs/architecture.md): edge → execution → credentials → tenancy → catalog → graphql → alloy,
 * each package using only those after it, and every package may use validation, db and support, which use none of
 * them. Only alloy talks to Alloy's REST client; nothing in main code touches the sandbox; JSON is built through one
 * provider looked up once ({@code support.Jsonp}).
 */
class ArchitectureTest {

    private static final String ROOT = "com.alloygateway";
    /** Highest first: a package may import only the ones after it. */
    private static final List<String> LAYERS = List.of("edge", "execution", "credentials", "tenancy", "catalog", "graphql",
            "alloy");
    private static final List<String> SHARED = List.of("validation", "db", "support");

    static ArchRule oneWayImports() {
        List<ArchRule> rules = new ArrayList<>();
        for (int low = 1; low < LAYERS.size(); low++) {
            for (int high = 0; high < low; high++) {
                rules.add(noClasses().that().resideInAPackage(pkg(LAYERS.get(low)))
                        .should().dependOnClassesThat().resideInAPackage(pkg(LAYERS.get(high)))
                        .because(LAYERS.get(low) + " sits below " + LAYERS.get(high))
                        .allowEmptyShould(true));
            }
        }
        for (String shared : SHARED) {
            for (String layer : LAYERS) {
                rules.add(noClasses().that().resideInAPackage(pkg(shared))
                        .should().dependOnClassesThat().resideInAPackage(pkg(layer))
                        .because(shared + " is shared by every package and depends on none")
                        .allowEmptyShould(true));
            }
        }
        return CompositeArchRule.of(rules);
    }

    static ArchRule onlyAlloyTalksToAlloy() {
        return noClasses().that().resideOutsideOfPackage(pkg("alloy"))
                .should().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".alloy.AlloyTransport")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.vertx.core.http.HttpClient")
                .orShould().dependOnClassesThat().resideInAPackage("org.eclipse.microprofile.rest.client..")
                .because("only the alloy package sends HTTP requests, so every call to Alloy has its limits");
    }

    static ArchRule nothingUsesTheSandbox() {
        return noClasses().that().resideOutsideOfPackage(pkg("sandbox"))
                .should().dependOnClassesThat().resideInAPackage(pkg("sandbox"))
                .because("the sandbox exists in dev and test builds only");
    }

    static ArchRule jsonThroughOneProvider() {
        return noClasses().should().dependOnClassesThat().haveFullyQualifiedName("jakarta.json.Json")
                .because("jakarta.json.Json looks its provider up on every call (a class path scan): use Jsonp.JSON");
    }

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void packagesImportOneWayOnly() {
        oneWayImports().check(MAIN);
    }

    @Test
    void onlyTheAlloyPackageSendsHttpRequests() {
        onlyAlloyTalksToAlloy().check(MAIN);
    }

    @Test
    void mainCodeNeverUsesTheSandbox() {
        nothingUsesTheSandbox().check(MAIN);
    }

    @Test
    void mainCodeBuildsJsonThroughOneProvider() {
        jsonThroughOneProvider().check(MAIN);
    }

    @Test
    void aPlantedJsonLookupIsCaught() {
        JavaClasses planted = new ClassFileImporter().importPackages(ROOT + ".support.planted");
        assertThatThrownBy(() -> jsonThroughOneProvider().check(planted))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("PlantedJsonLookup");
    }

    @Test
    void aPlantedBackImportIsCaught() {
        JavaClasses planted = new ClassFileImporter().importPackages(ROOT + ".catalog.planted", ROOT + ".execution");
        assertThatThrownBy(() -> oneWayImports().check(planted))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("PlantedBackImport");
    }

    private static String pkg(String name) {
        return ROOT + "." + name + "..";
    }
}
