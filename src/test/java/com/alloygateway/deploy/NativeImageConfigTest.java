package com.alloygateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.alloygateway.testing.CaffeineClasses;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.networknt.schema.SchemaRegistry;

import io.quarkus.caffeine.runtime.graal.CacheConstructorsFeature;

/**
 * The native image's reflection and resource registrations, checked on the JVM in milliseconds (a native build
 * cannot run here or in CI: k8s/README.md, "Native image: what it needs"). What is registered must exist, and
 * what the libraries look up by name at run time must be registered, by the gateway's own
 * {@code META-INF/native-image/com.alloygateway/alloy-graphql-gateway/*.json}, by the library's own metadata, or
 * by Quarkus:
 * <ul>
 * <li>networknt's json-schema-validator loads its meta-schemas ({@code draft/…}), Unicode tables ({@code ucd/…})
 * and messages as classpath resources (its jar's resource-config.json includes them), reads the messages as the
 * resource bundle {@code jsv-messages} (registered here), and probes {@code com.ethlo.time.ITU} with
 * {@code Class.forName} to choose its date-time parser (registered here, or native would quietly choose another);
 * <li>Caffeine creates each cache and its entries from classes it looks up by name; Quarkus registers a fixed
 * list of them, so every cache in application.properties must need only classes on that list.
 * </ul>
 */
class NativeImageConfigTest {

    static final String OWN = "META-INF/native-image/com.alloygateway/alloy-graphql-gateway/";
    static final String VALIDATOR = "META-INF/native-image/com.networknt/json-schema-validator/";
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyClassRegisteredForReflectionExists() throws Exception {
        JsonNode reflect = classpathJson(OWN + "reflect-config.json");
        assertThat(reflect.isArray() && !reflect.isEmpty()).isTrue();
        for (JsonNode entry : reflect) {
            String name = entry.path("name").asText();
            assertThat(Class.forName(name, false, getClass().getClassLoader())).as(name).isNotNull();
        }
        assertThat(reflect.findValuesAsText("name"))
                .as("the validator's Class.forName probe for its date-time parser")
                .contains("com.ethlo.time.ITU");
    }

    @Test
    void everyBundleRegisteredExistsWithTheValidatorsMessages() throws Exception {
        JsonNode resources = classpathJson(OWN + "resource-config.json");
        List<String> bundles = resources.path("bundles").findValuesAsText("name");
        assertThat(bundles).contains("jsv-messages");
        for (String bundle : bundles) {
            ResourceBundle loaded = ResourceBundle.getBundle(bundle, Locale.ROOT);
            assertThat(loaded.keySet()).as(bundle).isNotEmpty();
        }
        // Every resource pattern of ours (if any) matches a real resource.
        for (String pattern : patterns(resources)) {
            assertThat(validatorResources().stream().anyMatch(r -> r.matches(pattern))
                    || getClass().getClassLoader().getResource(pattern) != null)
                    .as("resource pattern " + pattern + " matches something").isTrue();
        }
    }

    @Test
    void everyResourceTheValidatorShipsIsIncludedInTheImage() throws Exception {
        List<String> patterns = new ArrayList<>(patterns(classpathJson(VALIDATOR + "resource-config.json")));
        patterns.addAll(patterns(classpathJson(OWN + "resource-config.json")));
        List<String> shipped = validatorResources();
        // What SchemaValidator relies on: the 2020-12 dialect's meta-schemas, idn-hostname's tables, the messages.
        assertThat(shipped).contains("draft/2020-12/schema", "draft/2020-12/meta/core", "ucd/RFC5892-appendix-B.txt",
                "jsv-messages.properties");
        for (String resource : shipped) {
            assertThat(patterns.stream().anyMatch(resource::matches))
                    .as(resource + " is in the native image (a resource pattern matches it)").isTrue();
        }
    }

    @Test
    void everyConfiguredCacheNeedsOnlyCaffeineClassesQuarkusRegisters() throws Exception {
        Set<String> registered = new HashSet<>(Arrays.asList(CacheConstructorsFeature.typesNeedingConstructorsRegistered()));
        // Quarkus adds the statistics variants when Micrometer is present (it is: /q/metrics).
        Class.forName("io.micrometer.core.instrument.MeterRegistry");
        registered.addAll(Arrays.asList(CacheConstructorsFeature.typesNeedingConstructorsRegisteredWhenRecordingStats()));

        Map<String, Map<String, String>> caches = caches();
        assertThat(caches).containsKeys("alloy-catalog", "provisioned-tenants", "compiled-schemas", "tenant-limits");
        for (Map.Entry<String, Map<String, String>> cache : caches.entrySet()) {
            List<String> needed = caffeineClasses(cache.getValue());
            assertThat(registered).as("Caffeine classes of cache " + cache.getKey() + " " + cache.getValue())
                    .containsAll(needed);
        }
    }

    /**
     * Only after {@code ./mvnw package -Dnative -Dquarkus.native.sources-only=true -DskipTests} (Quarkus's native
     * build steps without the compiler, which this machine lacks): what native-image would be given carries the
     * registrations above, and the switch that makes Quarkus register Caffeine's statistics variants.
     */
    @Test
    void theNativeSourcesCarryTheRegistrations() throws Exception {
        Path sources = Path.of("target/native-sources");
        Assumptions.assumeTrue(Files.isDirectory(sources), "no target/native-sources: run the sources-only native build");
        String args = Files.readString(sources.resolve("native-image.args"));
        assertThat(args).contains("-J-D" + CacheConstructorsFeature.REGISTER_RECORD_STATS_IMPLEMENTATIONS + "=true",
                CacheConstructorsFeature.class.getName());
        List<String> runners;
        try (var files = Files.list(sources)) {
            runners = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith("-runner.jar")).toList();
        }
        assertThat(runners).hasSize(1);
        try (JarFile runner = new JarFile(sources.resolve(runners.get(0)).toFile())) {
            assertThat(runner.getEntry(OWN + "reflect-config.json")).isNotNull();
            assertThat(runner.getEntry(OWN + "resource-config.json")).isNotNull();
        }
        try (var libs = Files.list(sources.resolve("lib"))) {
            Path validator = libs.filter(f -> f.getFileName().toString().startsWith("com.networknt.json-schema-validator"))
                    .findFirst().orElseThrow();
            try (JarFile jar = new JarFile(validator.toFile())) {
                assertThat(jar.getEntry(VALIDATOR + "resource-config.json")).isNotNull();
            }
        }
    }

    // ---- helpers ----

    static JsonNode classpathJson(String resource) throws IOException {
        try (InputStream in = NativeImageConfigTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource + " on the classpath").isNotNull();
            return JSON.readTree(in);
        }
    }

    /** The regular expressions of a resource-config.json's includes (the "pattern" form). */
    static List<String> patterns(JsonNode resourceConfig) {
        return resourceConfig.at("/resources/includes").findValuesAsText("pattern");
    }

    /** The validator jar's resources other than classes and its own META-INF. */
    static List<String> validatorResources() throws Exception {
        URL jar = SchemaRegistry.class.getProtectionDomain().getCodeSource().getLocation();
        List<String> names = new ArrayList<>();
        try (JarFile file = new JarFile(Path.of(jar.toURI()).toFile())) {
            Enumeration<java.util.jar.JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                java.util.jar.JarEntry e = entries.nextElement();
                if (!e.isDirectory() && !e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
                    names.add(e.getName());
                }
            }
        }
        return names;
    }

    /** quarkus.cache.caffeine."name".setting = value, by cache name. */
    static Map<String, Map<String, String>> caches() throws IOException {
        Properties app = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            app.load(in);
        }
        Pattern key = Pattern.compile("quarkus\\.cache\\.caffeine\\.\"([^\"]+)\"\\.([a-z-]+)");
        Map<String, Map<String, String>> caches = new TreeMap<>();
        for (String name : app.stringPropertyNames()) {
            Matcher m = key.matcher(name);
            if (m.matches()) {
                caches.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(m.group(2), app.getProperty(name));
            }
        }
        return caches;
    }

    /**
     * The cache and entry classes Caffeine picks for a cache built the way Quarkus builds it (CaffeineCacheImpl:
     * maximum size, expiry after write or access, stats if metrics are enabled, then buildAsync).
     */
    static List<String> caffeineClasses(Map<String, String> settings) throws Exception {
        Caffeine<Object, Object> builder = Caffeine.newBuilder();
        if (settings.containsKey("maximum-size")) {
            builder.maximumSize(Long.parseLong(settings.get("maximum-size")));
        }
        if (settings.containsKey("expire-after-write")) {
            builder.expireAfterWrite(Duration.ofMinutes(1));
        }
        if (settings.containsKey("expire-after-access")) {
            builder.expireAfterAccess(Duration.ofMinutes(1));
        }
        if (Boolean.parseBoolean(settings.get("metrics-enabled"))) {
            builder.recordStats();
        }
        AsyncCache<Object, Object> cache = builder.buildAsync();
        cache.synchronous().put("k", "v");
        return CaffeineClasses.of(cache);
    }
}
