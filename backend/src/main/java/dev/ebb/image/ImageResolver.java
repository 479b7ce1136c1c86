package dev.ebb.image;

import dev.ebb.audit.Actor;
import dev.ebb.background.Ticker;
import dev.ebb.leadership.Leadership;
import dev.ebb.registry.RegistryCredentialsChanged;
import dev.ebb.revision.Condition;
import dev.ebb.revision.ImageResolved;
import dev.ebb.revision.RevisionStore;
import dev.ebb.revision.RevisionStore.PendingImage;
import dev.ebb.service.ServiceCatalog;
import dev.ebb.service.ServiceChanged;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Resolves the tags of new revisions to digests in the background, after the transaction that made the revision has
 * committed, and stores the outcome as the revision's {@code ImageResolved} condition (and, on failure, its Ready
 * condition, so that the service says why it is not ready while its traffic stays on the previous ready revision).
 * A failure that may pass (a timeout, DNS, a registry error) is tried again with back-off; one that will not (no such
 * tag, wrong credentials) waits for the service to change, for the namespace's registry credentials to change, or for
 * an operator to retry the revision. It works from the stored state, so a restart picks up where it was.
 */
public final class ImageResolver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ImageResolver.class);
    private static final Actor EBB = new Actor("system:ebb", null, null, null, null, null);
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final int THREADS = 4;

    private final RevisionStore revisions;
    private final ServiceCatalog catalog;
    private final TagLookup lookup;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Ticker ticker;
    private final ExecutorService workers;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, Attempts> failing = new ConcurrentHashMap<>();
    private final Set<String> credentialsChanged = ConcurrentHashMap.newKeySet();
    /**
     * What this control plane resolves: the revisions waiting when it started, and those of the services and namespaces
     * changed through it since. Not every waiting revision in the database: another control plane sharing it (a
     * replica, a test's second application) resolves its own.
     */
    private final Set<String> services = ConcurrentHashMap.newKeySet();
    private final Set<String> namespaces = ConcurrentHashMap.newKeySet();
    private volatile Set<String> atStart;

    /** Failures in a row of one revision's resolution, and when it is tried next. */
    private record Attempts(int failures, Instant next) {
    }

    public ImageResolver(RevisionStore revisions, ServiceCatalog catalog, TagLookup lookup, TransactionTemplate transactions,
            ApplicationEventPublisher events, Clock clock, Leadership leadership) {
        this.revisions = revisions;
        this.catalog = catalog;
        this.lookup = lookup;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(THREADS, runnable -> {
            Thread thread = new Thread(runnable, "ebb-image-resolver-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.ticker = new Ticker("ebb-image-resolver", TICK, leadership.whileLeading(this::round),
                e -> log.warn("Looking for images to resolve failed; trying again", e));
    }

    public void start() {
        ticker.start();
    }

    /** A new revision, or a retried one, may wait for its image: look now rather than at the next tick. */
    @TransactionalEventListener(fallbackExecution = true)
    public void serviceChanged(ServiceChanged event) {
        services.add(event.namespace() + "/" + event.name());
        ticker.wake();
    }

    /** New credentials may be what a failed resolution in the namespace waits for. */
    @TransactionalEventListener(fallbackExecution = true)
    public void credentialsChanged(RegistryCredentialsChanged event) {
        namespaces.add(event.namespace());
        credentialsChanged.add(event.namespace());
        ticker.wake();
    }

    private boolean ours(PendingImage pending, String key) {
        return atStart.contains(key) || namespaces.contains(pending.namespace())
                || services.contains(pending.namespace() + "/" + pending.service());
    }

    private void round() {
        Set<String> retryNamespaces = Set.copyOf(credentialsChanged);
        credentialsChanged.removeAll(retryNamespaces);
        Instant now = clock.instant();
        java.util.List<PendingImage> pendingImages = revisions.pendingImages();
        if (atStart == null) {
            Set<String> waiting = new java.util.HashSet<>();
            pendingImages.forEach(p -> waiting.add(p.namespace() + "/" + p.revision()));
            atStart = Set.copyOf(waiting);
        }
        for (PendingImage pending : pendingImages) {
            String key = pending.namespace() + "/" + pending.revision();
            if (!ours(pending, key)) {
                continue;
            }
            Attempts attempts = failing.get(key);
            boolean due;
            if (pending.condition().isFalse()) {
                ResolutionFailure.Kind kind = ResolutionFailure.Kind.ofReason(pending.condition().reason());
                due = retryNamespaces.contains(pending.namespace())
                        || kind != null && kind.passing() && (attempts == null || !now.isBefore(attempts.next()));
            } else {
                // Unknown: a new or retried revision, tried at once.
                due = attempts == null || !now.isBefore(attempts.next());
            }
            if (due && inFlight.add(key)) {
                workers.execute(() -> {
                    try {
                        resolve(key, pending);
                    } catch (RuntimeException e) {
                        log.warn("Resolving the image of revision {} failed; trying again", key, e);
                    } finally {
                        inFlight.remove(key);
                    }
                });
            }
        }
        // Forget the back-off of revisions that resolved, or went away, meanwhile.
        Set<String> pendingKeys = new java.util.HashSet<>();
        pendingImages.forEach(p -> pendingKeys.add(p.namespace() + "/" + p.revision()));
        failing.keySet().removeIf(key -> !inFlight.contains(key) && !pendingKeys.contains(key));
    }

    private void resolve(String key, PendingImage pending) {
        ImageName image = ImageName.parse(pending.image());
        if (lookup.skips(image)) {
            record(pending, new Condition(ImageResolved.TYPE, Condition.TRUE, ImageResolved.SKIPPED, "Registry "
                    + image.registry() + " is on the skip list (EBB_REGISTRY_SKIP): " + pending.image() + " is used as is.",
                    clock.instant()), pending.image(), RevisionStore.deploying(clock.instant()));
            failing.remove(key);
            return;
        }
        try {
            RegistryClient.Resolved resolved = lookup.resolve(pending.namespace(), pending.image());
            String pinned = image.withDigest(resolved.digest());
            Instant now = clock.instant();
            record(pending, new Condition(ImageResolved.TYPE, Condition.TRUE, ImageResolved.RESOLVED, "Resolved "
                    + pending.image() + " to " + pinned + ".", now), pinned, RevisionStore.deploying(now));
            failing.remove(key);
        } catch (ResolutionException e) {
            ResolutionFailure failure = e.failure();
            Duration retryIn = null;
            if (failure.kind().passing()) {
                int failures = failing.containsKey(key) ? failing.get(key).failures() + 1 : 1;
                retryIn = Backoff.after(failures);
                failing.put(key, new Attempts(failures, clock.instant().plus(retryIn)));
            } else {
                failing.remove(key);
            }
            String message = failure.message(pending.namespace(), retryIn);
            Instant now = clock.instant();
            record(pending, new Condition(ImageResolved.TYPE, Condition.FALSE, failure.reason(), message, now), null,
                    new Condition("Ready", Condition.FALSE, failure.reason(), message, now));
        }
    }

    private void record(PendingImage pending, Condition image, String resolvedImage, Condition ready) {
        transactions.executeWithoutResult(status -> {
            if (catalog.observeImage(pending.namespace(), pending.service(), pending.revision(), pending.image(), image,
                    resolvedImage, ready, EBB)) {
                // Plans the service again once committed: the revision may run now, or the service says why it cannot.
                events.publishEvent(new ServiceChanged(pending.namespace(), pending.service()));
            }
        });
    }

    @Override
    public void close() {
        ticker.close();
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
