package dev.ebb.routing;

import dev.ebb.cluster.Clusters;
import dev.ebb.feed.RoutingSnapshot;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Serves gateways the routing snapshot by long-poll: the answer comes as soon as there is a version newer
 * than {@code after}, or after {@code wait} seconds (at most 60) with 304 Not Modified. Without
 * {@code after} the current snapshot comes at once. A gateway that names its {@code cluster} gets that cluster's
 * snapshot (its own instances, and the other clusters' gateways to forward to); one that names none gets every
 * cluster's instances.
 */
@RestController
class RoutingController {

    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    private static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private final RoutingPublisher routing;
    private final LongPollRelease polls;
    private final Clusters clusters;

    RoutingController(RoutingPublisher routing, LongPollRelease polls, Clusters clusters) {
        this.routing = routing;
        this.polls = polls;
        this.clusters = clusters;
    }

    @GetMapping("/internal/v1/routing")
    DeferredResult<ResponseEntity<RoutingSnapshot>> routing(@RequestParam(required = false) Long after,
            @RequestParam(required = false) Integer wait, @RequestParam(required = false) String cluster) {
        if (cluster != null) {
            clusters.requireKnown(cluster);
        }
        if (after == null) {
            DeferredResult<ResponseEntity<RoutingSnapshot>> now = new DeferredResult<>();
            now.setResult(ResponseEntity.ok(routing.current(cluster)));
            return now;
        }
        Duration timeout = wait == null ? DEFAULT_WAIT : Duration.ofSeconds(Math.max(0, Math.min(wait, MAX_WAIT.toSeconds())));
        DeferredResult<ResponseEntity<RoutingSnapshot>> result = new DeferredResult<>(timeout.toMillis() + 1000,
                () -> ResponseEntity.status(HttpStatus.NOT_MODIFIED).<RoutingSnapshot>build());
        polls.began();
        result.onCompletion(polls::ended);
        routing.newerThan(after)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((snapshot, error) -> result.setResult(answer(error == null ? routing.current(cluster) : null, error)));
        return result;
    }

    /**
     * The snapshot; 304 when the wait ran out; 503 when the control plane is stopping, which a gateway retries after
     * a pause rather than at once, serving its last snapshot meanwhile.
     */
    private static ResponseEntity<RoutingSnapshot> answer(RoutingSnapshot snapshot, Throwable error) {
        if (error == null) {
            return ResponseEntity.ok(snapshot);
        }
        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
        if (cause instanceof RoutingPublisher.Stopping) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").build();
        }
        return ResponseEntity.status(HttpStatus.NOT_MODIFIED).build();
    }
}
