package dev.ebb.gateway;

import dev.ebb.feed.RoutingSnapshot;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * token (and {@code cluster=<name>} first for a gateway that says which cluster it is in, which gets that cluster's
 * routing), on the replica that leads (a replica that follows answers 503 {@code not-the-leader}, and the next one of
 * {@link ControlPlanes} is tried at once). The control plane holds the request until a newer snapshot exists (about 30 s at most) and
 * answers 200 with it, or 304 when nothing changed. When the control plane is unreachable or answers
 * anything else, the gateway keeps serving what it has and retries with a doubling, capped back-off.
 * Until the control plane has answered once, polls ask it not to wait ({@code wait=0}), so that a gateway
 * learns at once that its routing is current, even when that routing is still empty.
 */
public final class ControlPlaneRoutingSource implements RoutingSource {

    private static final Logger log = LoggerFactory.getLogger(ControlPlaneRoutingSource.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final long FIRST_BACKOFF_MILLIS = 100;

    /** What a replica that does not lead says it is. */
    static final String NOT_THE_LEADER = "urn:ebb:problem:not-the-leader";

    private final ControlPlanes planes;
    private final String token;
    /** {@code cluster=<name>&}, or empty for a gateway of a single cluster. */
    private final String clusterQuery;
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
     * @param planes the control plane's replicas, e.g. {@code http://ebb:8080}
     * @param maxBackoff the longest wait between two failed attempts
     */
    public ControlPlaneRoutingSource(ControlPlanes planes, String token, Duration maxBackoff) {
        this(planes, token, maxBackoff, null);
    }

    /** @param cluster the cluster the gateway is in, whose routing it asks for; null for a single cluster */
    public ControlPlaneRoutingSource(ControlPlanes planes, String token, Duration maxBackoff, String cluster) {
        this.planes = planes;
        this.token = token;
        this.clusterQuery = cluster == null ? "" : "cluster=" + URLEncoder.encode(cluster, StandardCharsets.UTF_8) + "&";
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
        String query = "?" + clusterQuery + "after=" + version + (answered ? "" : "&wait=0");
        String base = planes.current();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/internal/v1/routing" + query))
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
                planes.passOver(base);
                retryLater(base, "is unreachable: " + failure);
            } else {
                handle(base, response);
            }
        }, scheduler);
    }

    private void handle(String base, HttpResponse<byte[]> response) {
        try {
            if (response.statusCode() == 200) {
                RoutingSnapshot snapshot = SnapshotJson.read(response.body());
                sink.accept(snapshot);
                version = Math.max(version, snapshot.version());
                succeeded(base);
            } else if (response.statusCode() == 304) {
                succeeded(base);
            } else if (response.statusCode() == 503 && new String(response.body(), StandardCharsets.UTF_8).contains(NOT_THE_LEADER)) {
                // A replica that follows answered at once: the next one may lead, no reason to wait longer each time.
                planes.passOver(base);
                lastProblem = "follows (is not the leader)";
                scheduler.schedule(this::poll, FIRST_BACKOFF_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                planes.passOver(base);
                retryLater(base, "answered " + response.statusCode());
            }
        } catch (RuntimeException e) {
            planes.passOver(base);
            retryLater(base, "sent an unreadable snapshot: " + e);
        }
    }

    private void succeeded(String base) {
        answered = true;
        if (!reachable) {
            log.info("Control plane {} is reachable again; routing with snapshot {}", base, version);
        }
        reachable = true;
        backoffMillis = FIRST_BACKOFF_MILLIS;
        poll();
    }

    private void retryLater(String base, String why) {
        lastProblem = why;
        if (reachable) {
            log.warn("Control plane {} {}; routing with snapshot {} and retrying (replicas: {})", base, why, version,
                    planes.candidates());
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
        return Optional.of("the first answer of the control plane " + String.join(", ", planes.candidates())
                + (problem == null ? "" : ", which " + problem));
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
