package dev.ebb.gateway;

import dev.ebb.feed.LoadReport;
import dev.ebb.feed.ColdStart;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A separate gateway's way to the autoscaler: posts each report, demand and cold start as JSON with the
 * bearer token to {@code /internal/v1/load}, {@code /internal/v1/demand} and {@code /internal/v1/coldstarts/batch}.
 * Called from event loops, so it only queues the work and returns. When the control plane is slow or
 * away, reports are dropped rather than piled up (the next report supersedes the last); demand is always sent at once,
 * since a request is waiting on it. Everything goes to the replica that leads: a replica that follows (503
 * {@code not-the-leader}) or cannot be reached is passed over, and a demand is sent again to the next one, once per
 * replica. A cold start is a record auditors and the SLO read, which the leader answers only once it is stored: one
 * that no replica took is sent again, with a growing pause, for {@link #COLD_START_PATIENCE} (a leader change takes a
 * few seconds), and at most {@link #MAX_COLD_STARTS_WAITING} wait at once. Cold starts go several to a post, one post
 * at a time.
 */
public final class ControlPlaneLoadSink implements LoadSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlPlaneLoadSink.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** How long the stopping gateway waits for one replica to take its last report. */
    private static final Duration FAREWELL_TIMEOUT = Duration.ofSeconds(2);
    private static final int MAX_DROPPABLE_IN_FLIGHT = 8;
    static final Duration COLD_START_PATIENCE = Duration.ofSeconds(60);
    static final int MAX_COLD_STARTS_WAITING = 1000;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(250);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);
    /** Where cold starts go, several in one post (a JSON array); the control plane still takes one alone at {@code /internal/v1/coldstarts}. */
    static final String COLD_STARTS_PATH = "/internal/v1/coldstarts/batch";
    static final int MAX_COLD_STARTS_PER_POST = 500;

    private final ControlPlanes planes;
    private final String cluster;
    private final String token;
    private final HttpClient http;
    private final ThreadPoolExecutor sender;
    private final AtomicInteger droppableInFlight = new AtomicInteger();
    private final AtomicBoolean reachable = new AtomicBoolean(true);
    private final AtomicInteger coldStartsWaiting = new AtomicInteger();
    private final Queue<PendingColdStart> coldStarts = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean coldStartPosting = new AtomicBoolean();

    /** @param planes the control plane's replicas, shared with the routing feed */
    public ControlPlaneLoadSink(ControlPlanes planes, String token) {
        this(planes, token, null);
    }

    /**
     * @param planes the control plane's replicas, shared with the routing feed
     * @param cluster the cluster the gateway is in, named in each demand so that a revision placed on several clusters
     *        starts where the request waits; null when it did not say
     */
    public ControlPlaneLoadSink(ControlPlanes planes, String token, String cluster) {
        this.cluster = cluster;
        this.planes = planes;
        this.token = token;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1024), runnable -> {
            Thread thread = new Thread(runnable, "ebb-gateway-load");
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.AbortPolicy());
    }

    @Override
    public void report(LoadReport report) {
        post("/internal/v1/load", report, true);
    }

    /** Sends the last report now, on the calling thread, to the replica that leads or else the others in turn. */
    @Override
    public void farewell(LoadReport report) {
        for (int attempt = 0; attempt < planes.candidates().size(); attempt++) {
            String base = planes.current();
            try {
                HttpResponse<Void> response = http.send(request(base, "/internal/v1/load", report, FAREWELL_TIMEOUT),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() < 300) {
                    return;
                }
                planes.passOver(base);
            } catch (IOException | RuntimeException e) {
                planes.passOver(base);
                log.debug("The gateway's last report did not reach {}: {}", base, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        log.info("The gateway's last report reached no control plane: the autoscaler takes it for silent until it forgets it");
    }

    @Override
    public void demand(String namespace, String revision) {
        post("/internal/v1/demand", cluster == null ? Map.of("namespace", namespace, "revision", revision)
                : Map.of("namespace", namespace, "revision", revision, "cluster", cluster), false);
    }

    @Override
    public void coldStart(ColdStart coldStart) {
        if (coldStartsWaiting.incrementAndGet() > MAX_COLD_STARTS_WAITING) {
            coldStartsWaiting.decrementAndGet();
            log.warn("Dropped the cold start of request {}: {} cold starts already wait for the control plane",
                    coldStart.requestId(), MAX_COLD_STARTS_WAITING);
            return;
        }
        coldStarts.add(new PendingColdStart(coldStart, System.nanoTime() + COLD_START_PATIENCE.toNanos(), FIRST_PAUSE));
        sendColdStarts();
    }

    /** A cold start not stored yet: until when it is tried, and the pause before its next try should this one fail. */
    private record PendingColdStart(ColdStart coldStart, long deadline, Duration pause) {
    }

    /**
     * Posts the cold starts that wait, up to {@link #MAX_COLD_STARTS_PER_POST} in one post, unless a post of them is
     * already under way: those that arrive meanwhile go in the next one, when it is answered. One at a time, so that a
     * thousand requests let go at once after a cold start cost the control plane a few posts, not a thousand
     * authenticated requests and inserts while it and the instances share the host.
     */
    private void sendColdStarts() {
        if (!coldStartPosting.compareAndSet(false, true)) {
            return;
        }
        List<PendingColdStart> batch = new ArrayList<>();
        for (PendingColdStart next; batch.size() < MAX_COLD_STARTS_PER_POST && (next = coldStarts.poll()) != null; ) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            coldStartPosting.set(false);
            if (!coldStarts.isEmpty()) {
                sendColdStarts(); // one arrived between the poll and the reset
            }
            return;
        }
        List<ColdStart> body = batch.stream().map(PendingColdStart::coldStart).toList();
        post(() -> send(COLD_STARTS_PATH, body, false, planes.candidates().size(), stored -> {
            if (stored) {
                coldStartsWaiting.addAndGet(-batch.size());
            } else {
                tryAgainLater(batch);
            }
            coldStartPosting.set(false);
            sendColdStarts();
        }), () -> {
            coldStartsWaiting.addAndGet(-batch.size());
            coldStartPosting.set(false);
            log.warn("Dropped {} cold start(s): the gateway is stopping or too far behind", batch.size());
            // Those still queued get their own try now, as each cold start did before they went in batches, rather than
            // waiting for the next cold start to come along.
            sendColdStarts();
        });
    }

    /** Puts back the cold starts no replica stored, after their pause, or drops those whose patience is over. */
    private void tryAgainLater(List<PendingColdStart> batch) {
        Duration pause = batch.get(0).pause();
        long due = System.nanoTime() + pause.toNanos();
        List<PendingColdStart> again = batch.stream().filter(p -> due <= p.deadline()).map(p -> new PendingColdStart(p.coldStart(),
                p.deadline(), pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2))).toList();
        int dropped = batch.size() - again.size();
        if (dropped > 0) {
            coldStartsWaiting.addAndGet(-dropped);
            log.warn("Dropped {} cold start(s): no control-plane replica stored them within {} s", dropped,
                    COLD_START_PATIENCE.toSeconds());
        }
        if (!again.isEmpty()) {
            CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                coldStarts.addAll(again);
                sendColdStarts();
            });
        }
    }

    private void post(String path, Object body, boolean droppable) {
        post(() -> send(path, body, droppable, droppable ? 1 : planes.candidates().size(), taken -> { }));
    }

    private void post(Runnable sending) {
        post(sending, () -> { });
    }

    /** Queues {@code sending} for the sender thread; {@code dropped} runs instead when the queue is full or closed. */
    private void post(Runnable sending, Runnable dropped) {
        try {
            sender.execute(sending);
        } catch (RejectedExecutionException e) {
            log.debug("Dropped a post to the control plane: {}", e.toString());
            dropped.run();
        }
    }

    /**
     * Sends one post; one the replica did not take goes to the next one, {@code attempts} times in all. {@code taken}
     * learns whether a replica took it in the end.
     */
    private void send(String path, Object body, boolean droppable, int attempts, Consumer<Boolean> taken) {
        if (droppable && droppableInFlight.incrementAndGet() > MAX_DROPPABLE_IN_FLIGHT) {
            droppableInFlight.decrementAndGet();
            taken.accept(false);
            return;
        }
        String base = planes.current();
        try {
            HttpRequest request = request(base, path, body, REQUEST_TIMEOUT);
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                if (droppable) {
                    droppableInFlight.decrementAndGet();
                }
                if (failure != null || response.statusCode() >= 300) {
                    planes.passOver(base);
                    if (attempts > 1) {
                        post(() -> send(path, body, droppable, attempts - 1, taken), () -> taken.accept(false));
                        return;
                    }
                    if (reachable.compareAndSet(true, false)) {
                        log.warn("Control plane {} did not take the gateway's load ({}); dropping reports until it does", base,
                                failure != null ? failure.toString() : "answered " + response.statusCode());
                    }
                    taken.accept(false);
                } else {
                    if (reachable.compareAndSet(false, true)) {
                        log.info("Control plane {} takes the gateway's load reports again", base);
                    }
                    taken.accept(true);
                }
            });
        } catch (RuntimeException e) {
            if (droppable) {
                droppableInFlight.decrementAndGet();
            }
            log.warn("Could not post the gateway's load to {}{}: {}", base, path, e.toString());
            taken.accept(false);
        }
    }

    /** A post of {@code body} as JSON to {@code path} of the replica at {@code base}, with the gateway's token. */
    private HttpRequest request(String base, String path, Object body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
