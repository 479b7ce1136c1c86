package dev.ebb.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The processes tests start: what Linux's /proc says of them (CPU time, resident memory, children), and stopping them. */
public final class Processes {

    private Processes() {
    }

    /**
     * SIGTERM, as Kubernetes or systemd stop a process, then SIGKILL if it has not exited within {@code grace}; waits until
     * it has exited. Interrupted, it kills the process at once and keeps the interrupt.
     */
    public static void stop(Process process, Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** CPU time the process has used so far (user and system, all threads), in nanoseconds. */
    public static long cpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 a second on Linux).
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    }

    /** The process's resident memory now, in KiB. */
    public static long residentKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    /** The process and its children (one level), e.g. an nginx master and its workers. */
    public static List<Long> withChildren(long pid) throws IOException {
        List<Long> pids = new ArrayList<>(List.of(pid));
        for (String child : Files.readString(Path.of("/proc", Long.toString(pid), "task", Long.toString(pid), "children")).trim()
                .split(" ")) {
            if (!child.isEmpty()) {
                pids.add(Long.parseLong(child));
            }
        }
        return pids;
    }
}
