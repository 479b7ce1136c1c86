package dev.ebb.logs;

import dev.ebb.problem.InvalidInputException;
import dev.ebb.revision.RevisionView;
import dev.ebb.runtime.LogQuery;
import dev.ebb.runtime.RevisionKey;
import dev.ebb.runtime.RuntimeDriver;
import dev.ebb.runtime.Runtimes;
import dev.ebb.service.ServiceCatalog;
import dev.ebb.service.ServiceView;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The recent output of a revision's instances, and with {@code follow=true} the output as it is printed, from the
 * cluster its service is placed on: the local runtime's buffers, or each pod's log through the Kubernetes API.
 * {@code instance} narrows it to one instance (a pod), {@code previous=true} to each instance's run before its
 * current one, as {@code kubectl logs --previous} does.
 */
@RestController
class LogsController {

    private static final int MAX_TAIL = 10_000;
    private static final Duration MAX_FOLLOW = Duration.ofHours(1);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final ServiceCatalog catalog;
    private final Runtimes runtimes;

    LogsController(ServiceCatalog catalog, Runtimes runtimes) {
        this.catalog = catalog;
        this.runtimes = runtimes;
    }

    @GetMapping(path = "/api/v1/namespaces/{namespace}/services/{name}/revisions/{revision}/logs",
            produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<StreamingResponseBody> logs(@PathVariable String namespace, @PathVariable String name,
            @PathVariable String revision, @RequestParam(defaultValue = "200") int tail,
            @RequestParam(defaultValue = "false") boolean follow, @RequestParam(required = false) String instance,
            @RequestParam(defaultValue = "false") boolean previous, HttpServletResponse response) {
        if (tail < 0 || tail > MAX_TAIL) {
            throw InvalidInputException.unreadable("tail", "must be between 0 and " + MAX_TAIL + ", is " + tail);
        }
        if (previous && follow) {
            throw InvalidInputException.unreadable("previous", "a previous run has ended and prints nothing more; leave out "
                    + "follow=true to read it, or previous=true to follow the current run");
        }
        if (instance != null && instance.isBlank()) {
            throw InvalidInputException.unreadable("instance", "is empty; name an instance (status.instances.items[].name) "
                    + "or leave it out for every instance");
        }
        RevisionView found = catalog.revision(namespace, name, revision);
        RevisionKey key = new RevisionKey(namespace, name, found.name());
        String cluster = clusterOf(catalog.get(namespace, name).view());
        RuntimeDriver driver = runtimes.driver(cluster).orElseThrow(() -> new ClusterUnavailableException("Cluster " + cluster
                + ", where service " + namespace + "/" + name + " runs, has no driver in this control plane: check its "
                + "registration (GET /api/v1/clusters/" + cluster + ") and the control plane's log"));
        List<String> recent;
        try {
            recent = driver.logs(key, new LogQuery(tail, instance, previous));
        } catch (IOException e) {
            throw new ClusterUnavailableException("Cluster " + cluster + " did not give the logs of " + key.revision() + ": "
                    + e.getMessage() + "; try again");
        }
        // Flushed through the response: since Spring 7.0.6 flushing the body's stream does nothing, and a follower saw
        // nothing until the container's 8 KiB buffer filled.
        StreamingResponseBody body = out -> {
            for (String line : recent) {
                write(out, line);
            }
            response.flushBuffer();
            if (follow) {
                follow(driver, key, instance, out, response);
            }
        };
        return ResponseEntity.ok().contentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8)).body(body);
    }

    /** The first cluster of the service's placement, where its revisions run. */
    private static String clusterOf(ServiceView service) {
        return service.placement().clusters().get(0);
    }

    private static void follow(RuntimeDriver driver, RevisionKey key, String instance, OutputStream out,
            HttpServletResponse response) throws IOException {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>(10_000);
        long end = System.nanoTime() + MAX_FOLLOW.toNanos();
        AutoCloseable subscription = driver.followLogs(key, line -> {
            if (instance == null || instance.equals(instanceOf(line))) {
                lines.offer(line);
            }
        });
        try {
            while (System.nanoTime() < end) {
                String line = lines.poll(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
                // An empty line now and then finds out whether the client is still there.
                write(out, line == null ? "" : line);
                response.flushBuffer();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            unsubscribe(subscription);
        }
    }

    /** The second field of a line {@code time instance text}. */
    private static String instanceOf(String line) {
        int first = line.indexOf(' ');
        int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
        return second < 0 ? null : line.substring(first + 1, second);
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
