package dev.ebb.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PEM files the gateway takes TLS material from (a certificate, its key, perhaps a CA bundle), read again every
 * interval so that a renewed certificate (cert-manager's, say) is used by new connections without a restart. Only a
 * change of the files' contents counts, so touching them reloads nothing; files that cannot be read, or material the
 * gateway cannot load, leave the current material in place.
 */
final class PemFiles {

    private static final Logger log = LoggerFactory.getLogger(PemFiles.class);

    private final String what;
    private final List<Path> paths;

    /**
     * @param what the material in words, for the log ("the public TLS certificate")
     * @param paths the files, in the order {@link Contents#file} answers them
     */
    PemFiles(String what, List<Path> paths) {
        this.what = what;
        this.paths = List.copyOf(paths);
    }

    /** The files' contents, compared by content. */
    record Contents(List<byte[]> files) {

        Buffer file(int index) {
            return Buffer.buffer(files.get(index));
        }

        boolean sameAs(Contents other) {
            if (other == null || other.files.size() != files.size()) {
                return false;
            }
            for (int i = 0; i < files.size(); i++) {
                if (!Arrays.equals(files.get(i), other.files.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Reads the files now; a file that cannot be read fails with a sentence naming it. */
    Contents read() {
        List<byte[]> files = new ArrayList<>(paths.size());
        for (Path path : paths) {
            try {
                files.add(Files.readAllBytes(path));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + what + " from " + path + ": " + e.getMessage(), e);
            }
        }
        return new Contents(files);
    }

    /**
     * Reads the files every {@code interval} off the event loops, and hands their contents to {@code changed} (on an
     * event loop) whenever they differ from the last contents seen, starting from {@code current}. {@code changed} may
     * throw when it cannot load them: that is logged once, and the current material stays until the files change again.
     *
     * @return the watch's timer, to cancel before Vert.x closes (a read it starts then finds the worker pool shut)
     */
    long watch(Vertx vertx, Duration interval, Contents current, Consumer<Contents> changed) {
        Contents[] seen = {current};
        return vertx.setPeriodic(interval.toMillis(), id -> vertx.executeBlocking(this::read, false).onComplete(read -> {
            if (read.failed()) {
                log.warn("Keeping {}: {}", what, read.cause().getMessage());
                return;
            }
            Contents next = read.result();
            if (next.sameAs(seen[0])) {
                return;
            }
            seen[0] = next;
            try {
                changed.accept(next);
            } catch (RuntimeException e) {
                log.warn("Keeping {}: the changed files cannot be loaded: {}", what, e.getMessage());
                return;
            }
            log.info("Loaded the changed {} from {}", what, paths.get(0));
        }));
    }
}
