package com.alloygateway.soak;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples this JVM's resident set ({@code VmRSS} of {@code /proc/self/status}) and used heap every few seconds.
 * In a {@code @QuarkusTest} the gateway, the sandbox and the soak's clients share this JVM, so it is their sum.
 */
final class MemorySampler implements AutoCloseable {

    /** One sample: seconds since the start, resident set and used heap in MiB. */
    record Sample(long second, long rssMiB, long heapMiB) {
    }

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "soak-memory");
        thread.setDaemon(true);
        return thread;
    });
    private final Queue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final long start = System.nanoTime();

    MemorySampler(long everySeconds) {
        timer.scheduleAtFixedRate(this::sample, 0, everySeconds, TimeUnit.SECONDS);
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    static long rssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status", e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    private void sample() {
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        samples.add(new Sample(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), rssMiB(), heap));
    }

    @Override
    public void close() {
        sample();
        timer.shutdownNow();
    }
}
