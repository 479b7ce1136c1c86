package dev.ebb.runtime.local;

import dev.ebb.problem.InvalidInputException;
import dev.ebb.revision.RevisionView;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.service.ServiceCatalog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** The recent output of a revision's instances, and with {@code follow=true} the output as it is printed. */
@RestController
@ConditionalOnProperty(name = "ebb.runtime.enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnProperty(name = "ebb.runtime.local.enabled", havingValue = "true", matchIfMissing = true)
class LogsController {

    private static final int MAX_TAIL = 10_000;
    private static final Duration MAX_FOLLOW = Duration.ofHours(1);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final ServiceCatalog catalog;
    private final LocalRuntime runtime;

    LogsController(ServiceCatalog catalog, LocalRuntime runtime) {
        this.catalog = catalog;
        this.runtime = runtime;
    }

    @GetMapping(path = "/api/v1/namespaces/{namespace}/services/{name}/revisions/{revision}/logs",
            produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<StreamingResponseBody> logs(@PathVariable String namespace, @PathVariable String name,
            @PathVariable String revision, @RequestParam(defaultValue = "200") int tail,
            @RequestParam(defaultValue = "false") boolean follow) {
        if (tail < 0 || tail > MAX_TAIL) {
            throw InvalidInputException.unreadable("tail", "must be between 0 and " + MAX_TAIL + ", is " + tail);
        }
        RevisionView found = catalog.revision(namespace, name, revision);
        RevisionKey key = new RevisionKey(namespace, name, found.name());
        List<LogBuffer.Line> recent = runtime.logs(key).map(logs -> logs.tail(tail)).orElse(List.of());
        StreamingResponseBody body = out -> {
            for (LogBuffer.Line line : recent) {
                write(out, line.toString());
            }
            out.flush();
            if (follow) {
                follow(key, out);
            }
        };
        return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8)).body(body);
    }

    private void follow(RevisionKey key, OutputStream out) throws IOException {
        LogBuffer logs = runtime.logBuffer(key);
        BlockingQueue<LogBuffer.Line> lines = new LinkedBlockingQueue<>(10_000);
        long end = System.nanoTime() + MAX_FOLLOW.toNanos();
        AutoCloseable subscription = logs.follow(lines::offer);
        try {
            while (System.nanoTime() < end) {
                LogBuffer.Line line = lines.poll(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
                // An empty line now and then finds out whether the client is still there.
                write(out, line == null ? "" : line.toString());
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            unsubscribe(subscription);
        }
    }

    private static void unsubscribe(AutoCloseable subscription) {
        try {
            subscription.close();
        } catch (Exception e) {
            throw new IllegalStateException("a log subscription failed to close", e);
        }
    }

    private static void write(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
