package dev.ebb.runtime.local;

import dev.ebb.runtime.RevisionKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The list of running instances in the runtime's directory, so that instances outlive a crash of Ebb: each
 * line says which process runs which instance of which revision (and template). A new Ebb reads it to adopt
 * the instances still wanted; a process whose start time no longer matches its line is someone else's.
 */
final class ChildProcesses {

    private static final Logger log = LoggerFactory.getLogger(ChildProcesses.class);
    private static final String SEPARATOR = "\t";
    /** How far two JVMs' readings of one process's start time may differ: a second of boot-time drift, and ticks. */
    private static final long SAME_START_TOLERANCE_MILLIS = 1_500;

    private final Path pidFile;

    ChildProcesses(Path directory) {
        this.pidFile = directory.resolve("instances.pids");
    }

    /** An instance a previous Ebb started that is still running. */
    record Leftover(ProcessHandle process, RevisionKey key, String id, int port, String templateHash, Instant started) {
    }

    /**
     * The instances a previous Ebb left running. Lines of an older format, which say nothing about what runs,
     * are stopped at once.
     */
    List<Leftover> leftovers() {
        List<Leftover> found = new ArrayList<>();
        if (!Files.exists(pidFile)) {
            return found;
        }
        List<ProcessHandle> unknown = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(pidFile, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split(line.contains(SEPARATOR) ? SEPARATOR : "\\s+");
                if (parts.length == 8) {
                    alive(Long.parseLong(parts[0]), Long.parseLong(parts[1])).ifPresent(process -> found.add(new Leftover(process,
                            new RevisionKey(parts[2], parts[3], parts[4]), parts[5], Integer.parseInt(parts[6]), parts[7],
                            Instant.ofEpochMilli(Long.parseLong(parts[1])))));
                } else if (parts.length == 2) {
                    alive(Long.parseLong(parts[0]), Long.parseLong(parts[1])).ifPresent(unknown::add);
                }
            }
        } catch (IOException | NumberFormatException e) {
            log.warn("Could not read {} to find the instances of a previous run: {}", pidFile, e.getMessage());
        }
        stop(unknown);
        return found;
    }

    /** Records the instances now running; each line is a pid, its start time (to recognise reused pids) and what it runs. */
    synchronized void record(Collection<Recorded> instances) {
        List<String> lines = new ArrayList<>();
        for (Recorded recorded : instances) {
            LocalInstance instance = recorded.instance();
            long start = instance.handle().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
            lines.add(String.join(SEPARATOR, Long.toString(instance.pid()), Long.toString(start), recorded.key().namespace(),
                    recorded.key().service(), recorded.key().revision(), instance.id(), Integer.toString(instance.port()),
                    instance.templateHash()));
        }
        try {
            Path temp = pidFile.resolveSibling(pidFile.getFileName() + ".tmp");
            Files.write(temp, lines, StandardCharsets.UTF_8);
            Files.move(temp, pidFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not record running instances in " + pidFile, e);
        }
    }

    /** One running instance and the revision it belongs to. */
    record Recorded(RevisionKey key, LocalInstance instance) {
    }

    /** Stops processes of a previous run nobody wants: SIGTERM to each process group, SIGKILL to what is left after 5 s. */
    static void stop(List<ProcessHandle> processes) {
        for (ProcessHandle process : processes) {
            log.warn("Stopping instance process {} left running by a previous Ebb", process.pid());
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    private static Optional<ProcessHandle> alive(long pid, long startMillis) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().startInstant().map(s -> sameStart(s.toEpochMilli(), startMillis)).orElse(false));
    }

    /**
     * Whether two readings of a process's start time, each taken by a different JVM, are the same start. The JDK adds
     * the process's start in clock ticks since boot to the boot time it read once from {@code /proc/stat}'s
     * {@code btime}, whole seconds that the kernel derives from the wall clock and that move by a second as the clock
     * is adjusted: two JVMs can disagree by exactly 1000 ms about one process (seen when a killed Ebb's instance was
     * not adopted). A reused pid started more than a second and a half away is still told apart.
     */
    static boolean sameStart(long recordedMillis, long readMillis) {
        return Math.abs(readMillis - recordedMillis) <= SAME_START_TOLERANCE_MILLIS;
    }
}
