package dev.ebb.runtime.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One running process of a revision and what is known about it: either a child this Ebb started, or one a
 * previous Ebb started and this one adopted, which it knows only by its process handle.
 */
final class LocalInstance {

    /** The instance's standard output and error, in its working directory: a file outlives the Ebb that reads it. */
    static final String OUTPUT_FILE = "output.log";
    private static final long TAIL_POLL_MILLIS = 50;

    private final String id;
    private final int port;
    private final ProcessHandle handle;
    private final Process child;
    private final Path directory;
    private final Instant started;
    private final String templateHash;
    private final int restarts;
    private final Duration waitedBefore;
    private volatile boolean ready;
    private volatile Instant readySince;
    private volatile boolean listening;
    private volatile boolean stopping;

    private LocalInstance(String id, int port, ProcessHandle handle, Process child, Path directory, Instant started,
            String templateHash, int restarts, Duration waitedBefore) {
        this.id = id;
        this.port = port;
        this.handle = handle;
        this.child = child;
        this.directory = directory;
        this.started = started;
        this.templateHash = templateHash;
        this.restarts = restarts;
        this.waitedBefore = waitedBefore;
    }

    /**
     * A process this Ebb started.
     *
     * @param restarts how often this instance was started again after it exited on its own, this start included
     * @param waitedBefore the back-off waited before this start, null when it is not a restart after a crash
     */
    static LocalInstance started(String id, int port, Process process, Path directory, Instant started, String templateHash,
            int restarts, Duration waitedBefore) {
        return new LocalInstance(id, port, process.toHandle(), process, directory, started, templateHash, restarts, waitedBefore);
    }

    /** A process a previous Ebb started and left running. */
    static LocalInstance adopted(String id, int port, ProcessHandle process, Path directory, Instant started, String templateHash) {
        return new LocalInstance(id, port, process, null, directory, started, templateHash, 0, null);
    }

    String id() {
        return id;
    }

    int port() {
        return port;
    }

    ProcessHandle handle() {
        return handle;
    }

    /** Completes when the process has exited. */
    CompletableFuture<?> onExit() {
        return child != null ? child.onExit() : handle.onExit();
    }

    /** The exit code, known only for a child of this Ebb. */
    Optional<Integer> exitCode() {
        return child != null && !child.isAlive() ? Optional.of(child.exitValue()) : Optional.empty();
    }

    Path directory() {
        return directory;
    }

    long pid() {
        return handle.pid();
    }

    Instant started() {
        return started;
    }

    /** Identifies the template the instance runs, so that a later Ebb adopts it only for the same template. */
    String templateHash() {
        return templateHash;
    }

    /** How often this instance was started again after it exited on its own, like a container's restart count. */
    int restarts() {
        return restarts;
    }

    /** The back-off waited before this run, null when the run is not a restart after a crash. */
    Duration waitedBefore() {
        return waitedBefore;
    }

    boolean ready() {
        return ready && !stopping;
    }

    /** When the instance first answered its readiness probe, null until then. */
    Instant readySince() {
        return readySince;
    }

    void markReady(Instant now) {
        if (readySince == null) {
            readySince = now;
        }
        this.ready = true;
    }

    /** Whether a starting instance's port has accepted a connection yet: until then a probe is only a connect. */
    boolean listening() {
        return listening;
    }

    void markListening() {
        listening = true;
    }

    void markUnready() {
        this.ready = false;
    }

    boolean stopping() {
        return stopping;
    }

    void markStopping() {
        this.stopping = true;
    }

    /**
     * Copies the process's output file, line by line, into the revision's log until the process has exited and
     * the file is read to its end. The file is read from its start, so an adopted instance's log comes back too.
     * The file is opened before this returns, so it can be read to its end even once the directory is deleted.
     *
     * @return completes when the output is read to its end
     */
    CompletableFuture<Void> pumpOutput(LogBuffer logs, Clock clock) {
        CompletableFuture<Void> drained = new CompletableFuture<>();
        InputStream opened;
        try {
            opened = Files.newInputStream(directory.resolve(OUTPUT_FILE));
        } catch (IOException e) {
            logs.append(new LogBuffer.Line(clock.instant(), id, "[ebb] output not readable: " + e.getMessage()));
            drained.complete(null);
            return drained;
        }
        Thread pump = new Thread(() -> {
            try (InputStream in = opened) {
                byte[] buffer = new byte[8192];
                ByteArrayOutputStream pending = new ByteArrayOutputStream();
                while (true) {
                    boolean exited = !handle.isAlive();
                    int read = in.read(buffer);
                    if (read > 0) {
                        for (int i = 0; i < read; i++) {
                            if (buffer[i] == '\n') {
                                logs.append(new LogBuffer.Line(clock.instant(), id, pending.toString(StandardCharsets.UTF_8)));
                                pending.reset();
                            } else {
                                pending.write(buffer[i]);
                            }
                        }
                    } else if (exited) {
                        if (pending.size() > 0) {
                            logs.append(new LogBuffer.Line(clock.instant(), id, pending.toString(StandardCharsets.UTF_8)));
                        }
                        return;
                    } else {
                        Thread.sleep(TAIL_POLL_MILLIS);
                    }
                }
            } catch (IOException e) {
                logs.append(new LogBuffer.Line(clock.instant(), id, "[ebb] output closed: " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                drained.complete(null);
            }
        }, "ebb-log-" + id);
        pump.setDaemon(true);
        pump.start();
        return drained;
    }
}
