package dev.ebb.runtime.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure no instance outlives Ebb. The pids of running instances are kept in a file; a small watchdog
 * process, in a session of its own, waits for Ebb to exit and then stops whatever that file still lists,
 * so even a SIGKILL of Ebb leaves no orphan. A new Ebb also stops what a previous run left behind.
 */
final class ChildProcesses {

    private static final Logger log = LoggerFactory.getLogger(ChildProcesses.class);
    private static final String WATCHDOG = """
            while kill -0 "$0" 2>/dev/null; do sleep 1; done
            [ -f "$1" ] || exit 0
            while read -r pid start; do kill -TERM "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null; done < "$1"
            sleep 2
            while read -r pid start; do kill -KILL "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null; done < "$1"
            rm -f "$1"
            """;

    private final Path pidFile;
    private Process watchdog;

    ChildProcesses(Path directory) {
        this.pidFile = directory.resolve("instances.pids");
    }

    /** Stops instances a previous Ebb left running, then starts the watchdog for this one. */
    void start() {
        stopLeftovers();
        if (!new java.io.File("/usr/bin/setsid").canExecute() && !new java.io.File("/bin/setsid").canExecute()) {
            log.warn("setsid is not available, so instances may outlive Ebb if it is killed with SIGKILL");
            return;
        }
        try {
            watchdog = new ProcessBuilder("setsid", "sh", "-c", WATCHDOG, Long.toString(ProcessHandle.current().pid()),
                    pidFile.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            log.warn("Could not start the watchdog that stops instances if Ebb is killed: {}", e.getMessage());
        }
    }

    /** Records the instances now running; each line is a pid and its start time, to recognise reused pids. */
    synchronized void record(Collection<LocalInstance> instances) {
        List<String> lines = new ArrayList<>();
        for (LocalInstance instance : instances) {
            long start = instance.process().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
            lines.add(instance.pid() + " " + start);
        }
        try {
            Path temp = pidFile.resolveSibling(pidFile.getFileName() + ".tmp");
            Files.write(temp, lines, StandardCharsets.UTF_8);
            Files.move(temp, pidFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not record running instances in " + pidFile, e);
        }
    }

    void stop() {
        if (watchdog != null) {
            watchdog.destroy();
        }
    }

    private void stopLeftovers() {
        if (!Files.exists(pidFile)) {
            return;
        }
        List<ProcessHandle> leftovers = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(pidFile, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2) {
                    leftover(Long.parseLong(parts[0]), Long.parseLong(parts[1])).ifPresent(leftovers::add);
                }
            }
            Files.deleteIfExists(pidFile);
        } catch (IOException | NumberFormatException e) {
            log.warn("Could not read {} to clean up instances of a previous run: {}", pidFile, e.getMessage());
        }
        for (ProcessHandle process : leftovers) {
            log.warn("Stopping instance process {} left running by a previous Ebb", process.pid());
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
        for (ProcessHandle process : leftovers) {
            try {
                process.onExit().get(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }

    private static Optional<ProcessHandle> leftover(long pid, long startMillis) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().startInstant().map(s -> Math.abs(s.toEpochMilli() - startMillis) < 1000).orElse(false));
    }
}
