package dev.ebb.resilience;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * What the gateway and the suite's own JVM (the load's clients) use while a scenario runs: the gateway's resident
 * memory and both processes' CPU time, read every 20 ms from /proc and the JVM. A sampler that read without pause
 * would itself take a core of the two the gateway shares with it.
 */
final class Usage {

    private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** One reading: when (nanoTime), the gateway's RSS (KiB), and both processes' CPU so far (ns). */
    private record Sample(long nanos, long rssKib, long gatewayCpu, long clientCpu) {
    }

    /** CPU used over a window, in cores: 1.0 is one core busy the whole window. */
    record Window(double gatewayCores, double clientCores) {
    }

    private final Proxy gateway;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread = new Thread(this::run, "usage-sampler");

    private Usage(Proxy gateway) {
        this.gateway = gateway;
    }

    /** Starts sampling {@code gateway} (or the proxy in its place) and this JVM now. */
    static Usage sample(Proxy gateway) throws IOException {
        Usage usage = new Usage(gateway);
        usage.read();
        usage.thread.setDaemon(true);
        usage.thread.start();
        return usage;
    }

    /** Takes a last sample and stops. */
    void stop() throws InterruptedException, IOException {
        running.set(false);
        thread.join();
        read();
    }

    long rssPeakKib() {
        return samples.stream().mapToLong(Sample::rssKib).max().orElse(0);
    }

    /** CPU used between two instants (nanoTime), from the samples nearest outside them. */
    Window between(long from, long to) {
        Sample first = samples.get(0);
        Sample last = samples.get(samples.size() - 1);
        for (Sample sample : samples) {
            if (sample.nanos() <= from) {
                first = sample;
            }
            if (sample.nanos() >= to && sample.nanos() < last.nanos()) {
                last = sample;
            }
        }
        double nanos = Math.max(1, last.nanos() - first.nanos());
        return new Window((last.gatewayCpu() - first.gatewayCpu()) / nanos, (last.clientCpu() - first.clientCpu()) / nanos);
    }

    private void run() {
        long next = System.nanoTime();
        while (running.get()) {
            next += PERIOD_NANOS;
            LockSupport.parkNanos(next - System.nanoTime());
            try {
                read();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void read() throws IOException {
        long clientCpu = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
        samples.add(new Sample(System.nanoTime(), gateway.residentKib(), gateway.cpuNanos(), clientCpu));
    }
}
