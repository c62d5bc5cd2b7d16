package com.alloygateway.soak;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.alloygateway.sandbox.SandboxJournal.Executed;
import com.alloygateway.soak.MemorySampler.Sample;
import com.alloygateway.soak.Outcome.Op;
import com.alloygateway.soak.SoakChecks.Row;

/** The soak's summary, in Markdown: requests by kind with latencies, errors by code, rows, upstream, memory. */
final class SoakReport {

    private final StringBuilder out = new StringBuilder();

    String text() {
        return out.toString();
    }

    SoakReport line(String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
        return this;
    }

    void requests(Collection<Outcome> outcomes, long seconds) {
        line("## Requests (%d in %d s: %.1f/s)", outcomes.size(), seconds, outcomes.size() / (double) seconds);
        line("").line("| kind | requests | answered without error | p50 ms | p99 ms | max ms |")
                .line("|---|---|---|---|---|---|");
        Map<Op, List<Outcome>> byOp = new TreeMap<>(outcomes.stream().collect(Collectors.groupingBy(Outcome::op)));
        byOp.forEach((op, list) -> latencyRow(op.name(), list));
        latencyRow("all", new ArrayList<>(outcomes));
    }

    private void latencyRow(String name, List<Outcome> list) {
        long[] millis = list.stream().mapToLong(o -> TimeUnit.NANOSECONDS.toMillis(o.nanos())).sorted().toArray();
        line("| %s | %d | %d | %d | %d | %d |", name, list.size(), list.stream().filter(Outcome::ok).count(),
                percentile(millis, 50), percentile(millis, 99), millis.length == 0 ? 0 : millis[millis.length - 1]);
    }

    void errors(Collection<Outcome> outcomes) {
        line("").line("## Errors by code").line("")
                .line("| code | detail | answers | of which replays |").line("|---|---|---|---|");
        Map<String, List<Outcome>> byCode = new TreeMap<>(outcomes.stream().filter(o -> !o.ok())
                .collect(Collectors.groupingBy(o -> o.code() + " | " + detail(o))));
        byCode.forEach((code, list) -> line("| %s | %d | %d |", code, list.size(),
                list.stream().filter(Outcome::replayed).count()));
    }

    private static String detail(Outcome o) {
        if (o.httpStatus() != 200) {
            return "HTTP " + o.httpStatus();
        }
        if (o.upstreamStatus() != null) {
            return "httpStatusCode " + o.upstreamStatus();
        }
        return o.reason() == null ? "" : "reason " + o.reason();
    }

    void rows(Collection<Row> rows, List<Executed> executed) {
        line("").line("## Execution rows: %d", rows.size()).line("");
        count(rows, r -> r.status() + (r.errorCode() == null ? "" : " " + r.errorCode())
                + (r.errorSource() == null ? "" : " (" + r.errorSource() + ")"));
        line("").line("Rows with more than one attempt (Alloy's 429s, retried): %d",
                rows.stream().filter(r -> r.attempts() > 1).count());
        line("").line("## Executes that ran at the sandbox: %d", executed.size()).line("");
        count(executed, e -> "answered " + e.status());
    }

    private <T> void count(Collection<T> items, Function<T, String> key) {
        new TreeMap<>(items.stream().collect(Collectors.groupingBy(key, Collectors.counting())))
                .forEach((k, n) -> line("- %s: %d", k, n));
    }

    void memory(List<Sample> samples, long boundMiB) {
        long min = samples.stream().mapToLong(Sample::rssMiB).min().orElse(0);
        long max = samples.stream().mapToLong(Sample::rssMiB).max().orElse(0);
        line("").line("## Memory (%d samples)", samples.size()).line("")
                .line("RSS min %d MiB, max %d MiB (bound %d MiB); heap used max %d MiB, JVM max heap %d MiB.", min,
                        max, boundMiB, samples.stream().mapToLong(Sample::heapMiB).max().orElse(0),
                        Runtime.getRuntime().maxMemory() >> 20);
        int third = Math.max(1, samples.size() / 3);
        line("RSS max by third of the run: %d / %d / %d MiB.", maxRss(samples, 0, third),
                maxRss(samples, third, 2 * third), maxRss(samples, 2 * third, samples.size()));
    }

    private static long maxRss(List<Sample> samples, int from, int to) {
        return samples.subList(Math.min(from, samples.size()), Math.min(to, samples.size())).stream()
                .mapToLong(Sample::rssMiB).max().orElse(0);
    }

    void violations(SoakChecks checks) {
        line("").line("UNKNOWN rows (no answer within the attempt timeout) whose action ran at the sandbox: %d of %d.",
                checks.unknownRan(), checks.unknownRows());
        line("").line("Execute answers without an executionId (refused before a row was written): %s.",
                checks.withoutRow());
        line("").line("## Violations: %d", checks.total());
        checks.counts().forEach((kind, n) -> {
            line("- %s: %d", kind, n);
            checks.violations().get(kind).forEach(example -> line("  - %s", example));
        });
    }

    private static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }
}
