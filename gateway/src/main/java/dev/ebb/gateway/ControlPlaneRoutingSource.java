package dev.ebb.gateway;

import dev.ebb.feed.RoutingSnapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-polls the control plane: {@code GET {url}/internal/v1/routing?after=<version>} with a bearer
 * token. The control plane holds the request until a newer snapshot exists (about 30 s at most) and
 * answers 200 with it, or 304 when nothing changed. When the control plane is unreachable or answers
 * anything else, the gateway keeps serving what it has and retries with a doubling, capped back-off.
 * Until the control plane has answered once, polls ask it not to wait ({@code wait=0}), so that a gateway
 * learns at once that its routing is current, even when that routing is still empty.
 */
public final class ControlPlaneRoutingSource implements RoutingSource {

    private static final Logger log = LoggerFactory.getLogger(ControlPlaneRoutingSource.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final long FIRST_BACKOFF_MILLIS = 100;

    private final URI routingUri;
    private final String token;
    private final long maxBackoffMillis;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private Consumer<RoutingSnapshot> sink;
    private volatile boolean closed;
    private volatile CompletableFuture<?> inFlight;
    private volatile boolean answered;
    private volatile String lastProblem;
    private long version;
    private long backoffMillis = FIRST_BACKOFF_MILLIS;
    private boolean reachable = true;

    /**
     * @param controlPlaneUrl the control plane's base URL, e.g. {@code http://ebb:8080}
     * @param maxBackoff the longest wait between two failed attempts
     */
    public ControlPlaneRoutingSource(URI controlPlaneUrl, String token, Duration maxBackoff) {
        String base = controlPlaneUrl.toString().replaceAll("/+$", "");
        this.routingUri = URI.create(base + "/internal/v1/routing");
        this.token = token;
        this.maxBackoffMillis = maxBackoff.toMillis();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ebb-gateway-routing");
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(scheduler)
                .build();
    }

    @Override
    public void start(long afterVersion, Consumer<RoutingSnapshot> sink) {
        this.sink = sink;
        this.version = afterVersion;
        scheduler.execute(this::poll);
    }

    private void poll() {
        if (closed) {
            return;
        }
        String query = "?after=" + version + (answered ? "" : "&wait=0");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(routingUri + query))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        inFlight = call;
        call.whenCompleteAsync((response, failure) -> {
            if (closed) {
                return;
            }
            if (failure != null) {
                retryLater("is unreachable: " + failure);
            } else {
                handle(response);
            }
        }, scheduler);
    }

    private void handle(HttpResponse<byte[]> response) {
        try {
            if (response.statusCode() == 200) {
                RoutingSnapshot snapshot = SnapshotJson.read(response.body());
                sink.accept(snapshot);
                version = Math.max(version, snapshot.version());
                succeeded();
            } else if (response.statusCode() == 304) {
                succeeded();
            } else {
                retryLater("answered " + response.statusCode());
            }
        } catch (RuntimeException e) {
            retryLater("sent an unreadable snapshot: " + e);
        }
    }

    private void succeeded() {
        answered = true;
        if (!reachable) {
            log.info("Control plane {} is reachable again; routing with snapshot {}", routingUri, version);
        }
        reachable = true;
        backoffMillis = FIRST_BACKOFF_MILLIS;
        poll();
    }

    private void retryLater(String why) {
        lastProblem = why;
        if (reachable) {
            log.warn("Control plane {} {}; routing with snapshot {} and retrying", routingUri, why, version);
        }
        reachable = false;
        long delay = backoffMillis;
        backoffMillis = Math.min(maxBackoffMillis, backoffMillis * 2);
        scheduler.schedule(this::poll, delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public Optional<String> awaiting() {
        if (answered) {
            return Optional.empty();
        }
        String problem = lastProblem;
        return Optional.of("the first answer of the control plane " + routingUri + (problem == null ? "" : ", which " + problem));
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<?> call = inFlight;
        if (call != null) {
            call.cancel(true);
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
