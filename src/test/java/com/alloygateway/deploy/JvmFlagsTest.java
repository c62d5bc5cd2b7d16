package com.alloygateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.alloygateway.testing.ProdJar;

/**
 * The JVM image's flags (heap, collector, native-heap trimming: docs/performance.md) are written in
 * {@code src/main/docker/Dockerfile.jvm} and repeated where the jar is built or run without it: Jib's image,
 * {@code bench/common.sh} (for bench/run.sh and bench/startup.sh, whose numbers docs/performance.md keeps) and the
 * README. They must not drift apart, this JDK must take every one of them (a JVM refuses to start on an option it
 * does not know), and they must still hold after the options the image's start script puts first (a second
 * collector stops the JVM).
 */
class JvmFlagsTest {

    /**
     * What the UBI images' {@code run-java.sh} puts before {@code JAVA_OPTS_APPEND} (as printed by
     * {@code ubi9/openjdk-17-runtime:1.18-1}, rh-openjdk/redhat-openjdk-containers issue 483).
     */
    static final List<String> RUN_JAVA_DEFAULTS = List.of("-XX:MaxRAMPercentage=80.0", "-XX:+UseParallelGC",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20", "-XX:GCTimeRatio=4",
            "-XX:AdaptiveSizePolicyWeight=90", "-XX:+ExitOnOutOfMemoryError");

    @Test
    void theImageSetsHeapCollectorAndTrimming() throws IOException {
        assertThat(ProdJar.imageFlags()).contains("-XX:+UseSerialGC", "-Xmx128m", "-Xmn24m")
                .anyMatch(flag -> flag.startsWith("-XX:TrimNativeHeapInterval="));
    }

    @Test
    void jibBenchAndReadmeRepeatTheDockerfile() throws IOException {
        List<String> flags = ProdJar.imageFlags();
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src", "main", "resources", "application.properties"))) {
            properties.load(in);
        }
        assertThat(Arrays.asList(properties.getProperty("quarkus.jib.jvm-additional-arguments").split(",")))
                .as("quarkus.jib.jvm-additional-arguments").isEqualTo(flags);

        Matcher bench = Pattern.compile("(?m)^JAVA_OPTS=\\$\\{JAVA_OPTS:-\"([^\"]*)\"\\}")
                .matcher(Files.readString(Path.of("bench", "common.sh")));
        assertThat(bench.find()).as("bench/common.sh has a default JAVA_OPTS").isTrue();
        assertThat(Arrays.asList(bench.group(1).split(" "))).as("bench/common.sh's JAVA_OPTS").isEqualTo(flags);

        assertThat(Files.readString(Path.of("README.md"))).contains("`" + String.join(" ", flags) + "`");
    }

    @Test
    void thisJdkTakesEveryFlag() throws Exception {
        String flags = finalFlags(ProdJar.imageFlags());
        assertThat(flags).containsPattern("bool UseSerialGC += true").containsPattern("MaxNewSize += 25165824 ");
    }

    /** As the image starts it: the start script's defaults first, ours after; ours win, and one collector runs. */
    @Test
    void theImageFlagsOverrideTheStartScripts() throws Exception {
        List<String> options = new ArrayList<>(RUN_JAVA_DEFAULTS);
        options.addAll(ProdJar.imageFlags());
        String flags = finalFlags(options);
        assertThat(flags).containsPattern("bool UseSerialGC += true").containsPattern("bool UseParallelGC += false")
                .containsPattern("MinHeapFreeRatio += 40 ").containsPattern("MaxHeapFreeRatio += 70 ")
                .containsPattern("MaxHeapSize += 134217728 ");
    }

    /** {@code java <options> -XX:+PrintFlagsFinal -version}: the flags in effect; fails if the JVM refuses them. */
    private static String finalFlags(List<String> options) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProdJar.JAVA));
        command.addAll(options);
        command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("VM warning").doesNotContain("Unrecognized VM option");
        return output;
    }
}
