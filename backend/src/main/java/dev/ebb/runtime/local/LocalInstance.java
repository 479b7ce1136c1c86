package dev.ebb.runtime.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/** One running child process of a revision and what is known about it. */
final class LocalInstance {

    private final String id;
    private final int port;
    private final Process process;
    private final Path directory;
    private final Instant started;
    private volatile boolean ready;
    private volatile Instant readySince;
    private volatile boolean stopping;

    LocalInstance(String id, int port, Process process, Path directory, Instant started) {
        this.id = id;
        this.port = port;
        this.process = process;
        this.directory = directory;
        this.started = started;
    }

    String id() {
        return id;
    }

    int port() {
        return port;
    }

    Process process() {
        return process;
    }

    Path directory() {
        return directory;
    }

    long pid() {
        return process.pid();
    }

    Instant started() {
        return started;
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

    void markUnready() {
        this.ready = false;
    }

    boolean stopping() {
        return stopping;
    }

    void markStopping() {
        this.stopping = true;
    }

    /** Copies the process's output, line by line, into the revision's log until the process closes it. */
    void pumpOutput(LogBuffer logs, Clock clock) {
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    logs.append(new LogBuffer.Line(clock.instant(), id, line));
                }
            } catch (IOException e) {
                logs.append(new LogBuffer.Line(clock.instant(), id, "[ebb] output closed: " + e.getMessage()));
            }
        }, "ebb-log-" + id);
        pump.setDaemon(true);
        pump.start();
    }
}
