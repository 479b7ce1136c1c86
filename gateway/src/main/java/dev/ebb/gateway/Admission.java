package dev.ebb.gateway;

import io.vertx.core.Context;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when a request may go to an instance of its revision, for every event loop at once: right away
 * when an instance is ready and below its concurrency limit, otherwise after waiting in the revision's
 * bounded queue until a snapshot brings a ready instance or a slot frees up. In Knative the activator
 * holds requests at zero and queue-proxy enforces the limit; Ebb has no per-instance sidecar, so the
 * gateway does both, and one queue serves both purposes. Lock-free: slots are compare-and-set counters
 * and each queue is drained by whichever thread gets there first.
 */
final class Admission {

    private static final Logger log = LoggerFactory.getLogger(Admission.class);
    private static final long NEVER = Long.MIN_VALUE;

    /** What became of a request's claim on an instance. */
    enum Status {
        /** An instance's slot was claimed and the request handed on before {@code admit} returned. */
        ADMITTED,
        /** The request waits in its revision's queue; it is handed on later, on its own event loop. */
        HELD,
        /** The revision's queue is full: answer 503 with {@code Retry-After}. */
        QUEUE_FULL,
        /** The snapshot does not list the revision at all, so no instance of it can ever come. */
        NOT_SERVED
    }

    /** A request's claim, kept so that it can be given up. */
    interface Ticket {

        Status status();

        /** Whether the request waits because its revision had no ready instance when it arrived: a cold start. */
        boolean cold();

        /**
         * The request no longer wants an instance (it timed out, or its caller left). An instance granted in the
         * meantime is given back rather than handed on. Call it on the request's event loop; calling it again,
         * or after the request was handed on, does nothing.
         */
        void cancel();
    }

    private static final Ticket ADMITTED = fixed(Status.ADMITTED);
    /** The ticket of a request that went to another cluster's gateway without a wait here. */
    static final Ticket FORWARDED = fixed(Status.ADMITTED);
    private static final Ticket QUEUE_FULL = fixed(Status.QUEUE_FULL);
    private static final Ticket NOT_SERVED = fixed(Status.NOT_SERVED);

    private final RoutingState routes;
    private final LoadSink sink;
    private final PeerHealthView peers;
    private final int queueDepth;
    private final long demandIntervalNanos;
    private final Map<String, RevisionQueue> queues = new ConcurrentHashMap<>();

    /**
     * @param queueDepth how many requests each revision may hold
     * @param demandInterval how long requests may wait for a revision at zero before it is asked for again
     */
    Admission(RoutingState routes, LoadSink sink, int queueDepth, Duration demandInterval) {
        this(routes, sink, queueDepth, demandInterval, PeerHealthView.ALL_REACHABLE);
    }

    /**
     * @param peers what the probes found of the other clusters' gateways: a request held here while its revision is at
     *        zero goes to another cluster whose instance is ready first, if its gateway is reachable
     */
    Admission(RoutingState routes, LoadSink sink, int queueDepth, Duration demandInterval, PeerHealthView peers) {
        this.routes = routes;
        this.sink = sink;
        this.peers = peers;
        this.queueDepth = Math.max(1, queueDepth);
        this.demandIntervalNanos = demandInterval.toNanos();
        routes.afterApply(this::snapshotApplied);
    }

    /**
     * Claims an instance of {@code revision} for one request. {@code onAdmitted} gets the instance, whose slot the
     * request then holds until {@link #release}: either at once, before this returns ({@link Status#ADMITTED}),
     * or later on {@code context} ({@link Status#HELD}). The first request held for a revision at zero tells the
     * load sink at once. A held request may instead be handed the gateway of another cluster ({@link Backend#peer()})
     * where the revision got a ready instance before it got one here.
     */
    Ticket admit(RevisionRoute revision, Context context, Consumer<Backend> onAdmitted) {
        return admit(revision, context, onAdmitted, true);
    }

    /** @param mayForward false for a request a peer forwarded: it waits for an instance here, whatever other clusters have */
    Ticket admit(RevisionRoute revision, Context context, Consumer<Backend> onAdmitted, boolean mayForward) {
        if (!revision.listed()) {
            return NOT_SERVED;
        }
        RevisionQueue queue = queues.get(revision.key());
        if (queue == null || queue.live.get() <= 0) {
            Backend backend = revision.claim(ThreadLocalRandom.current());
            if (backend != null) {
                onAdmitted.accept(backend);
                return ADMITTED;
            }
        }
        Waiter waiter = new Waiter(context, onAdmitted, revision.atZero(), mayForward);
        int offered;
        while (true) {
            queue = queues.computeIfAbsent(revision.key(), key -> new RevisionQueue(revision.namespace(), revision.name()));
            waiter.queue = queue;
            offered = queue.offer(waiter, revision.holdLimit(queueDepth));
            if (offered > 0) {
                break;
            }
            if (offered == 0) {
                return QUEUE_FULL;
            }
            // That queue was just retired: take the new one.
        }
        if (waiter.cold) {
            // The first request to wait asks at once, however recently the revision was asked for last: it may have
            // gone to zero again in between. Later ones only repeat the ask once per interval.
            queue.demand(System.nanoTime(), offered == 1);
        }
        queue.drain();
        return waiter;
    }

    /** Gives back the slot a request held on {@code backend}, and hands it to the next request waiting for the revision. */
    void release(RevisionRoute revision, Backend backend) {
        backend.finished();
        RevisionQueue queue = queues.get(revision.key());
        if (queue != null && queue.live.get() > 0) {
            queue.drain();
        }
    }

    /** Requests held now per revision key, for those that hold any. */
    Map<String, Integer> queued() {
        Map<String, Integer> queued = new HashMap<>();
        queues.forEach((key, queue) -> {
            int live = queue.live.get();
            if (live > 0) {
                queued.put(key, live);
            }
        });
        return queued;
    }

    /** Asks again for every revision that still has requests waiting at zero, at most once per demand interval. */
    void demandAgain() {
        RoutingTable table = routes.table();
        long now = System.nanoTime();
        queues.forEach((key, queue) -> {
            RevisionRoute revision = table.revision(key);
            if (queue.live.get() > 0 && revision != null && revision.atZero()) {
                queue.demand(now, false);
            }
        });
    }

    private void snapshotApplied() {
        RoutingTable table = routes.table();
        queues.forEach((key, queue) -> {
            if (queue.live.get() > 0) {
                queue.drain();
            } else if (table.revision(key) == null && queue.retire()) {
                queues.remove(key, queue);
            }
        });
    }

    private static Ticket fixed(Status status) {
        return new Ticket() {
            @Override
            public Status status() {
                return status;
            }

            @Override
            public boolean cold() {
                return false;
            }

            @Override
            public void cancel() {
            }
        };
    }

    /**
     * The requests waiting for one revision, in arrival order. Anyone may add; removing is done by one
     * thread at a time, whichever called {@link #drain()} first, while the others only count that it has
     * to look again (the usual lock-free drain loop), so no wake-up is ever lost.
     */
    private final class RevisionQueue {

        private final String namespace;
        private final String name;
        private final String key;
        private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
        /** Requests waiting; -1 once the queue is retired and takes none. */
        private final AtomicInteger live = new AtomicInteger();
        /** Cancelled requests not yet removed; approximate, it only says when to sweep them out. */
        private final AtomicInteger cancelledInside = new AtomicInteger();
        private final AtomicInteger drains = new AtomicInteger();
        private final AtomicLong lastDemand = new AtomicLong(NEVER);

        RevisionQueue(String namespace, String name) {
            this.namespace = namespace;
            this.name = name;
            this.key = RevisionRoute.key(namespace, name);
        }

        /**
         * @param depth how many requests the revision may hold now ({@link RevisionRoute#holdLimit})
         * @return the requests now waiting (at least 1) when added, 0 when full, -1 when retired
         */
        int offer(Waiter waiter, int depth) {
            while (true) {
                int count = live.get();
                if (count < 0) {
                    return -1;
                }
                if (count >= depth) {
                    return 0;
                }
                if (live.compareAndSet(count, count + 1)) {
                    waiters.add(waiter);
                    return count + 1;
                }
            }
        }

        /** Takes no more requests, if it holds none now. */
        boolean retire() {
            return live.compareAndSet(0, -1);
        }

        void demand(long now, boolean first) {
            long last = lastDemand.get();
            boolean due = first || last == NEVER || now - last >= demandIntervalNanos;
            if (due && lastDemand.compareAndSet(last, now)) {
                try {
                    sink.demand(namespace, name);
                } catch (RuntimeException e) {
                    log.warn("Could not ask for an instance of {}: {}", key, e.toString());
                }
            }
        }

        void cancelled() {
            live.decrementAndGet();
            if (cancelledInside.incrementAndGet() > 64) {
                drain();
            }
        }

        /** Hands free slots to waiting requests, oldest first, until either runs out. */
        void drain() {
            if (drains.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                if (cancelledInside.get() > Math.max(64, live.get())) {
                    waiters.removeIf(Waiter::cancelled);
                    cancelledInside.set(0);
                }
                RevisionRoute revision = routes.table().revision(key);
                Waiter waiter;
                while ((waiter = waiters.peek()) != null) {
                    if (waiter.cancelled()) {
                        waiters.poll();
                        cancelledInside.decrementAndGet();
                        continue;
                    }
                    Backend backend = revision == null ? null : revision.claim(ThreadLocalRandom.current());
                    if (backend == null) {
                        break;
                    }
                    waiters.poll();
                    if (waiter.grant(backend)) {
                        live.decrementAndGet();
                    } else {
                        cancelledInside.decrementAndGet();
                        backend.finished();
                    }
                }
                if (revision != null && revision.atZero() && revision.remotes().length > 0 && !waiters.isEmpty()) {
                    forwardElsewhere(revision);
                }
                missed = drains.addAndGet(-missed);
            } while (missed != 0);
        }

        /**
         * Hands the requests that may be forwarded to the gateway of the first other cluster where the revision has a
         * ready instance, while none is ready here; those a peer forwarded wait on.
         */
        private void forwardElsewhere(RevisionRoute revision) {
            RevisionRoute.Remote remote = Hop.readyElsewhere(revision, peers, Set.of());
            if (remote == null) {
                return;
            }
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter waiter = it.next();
                if (waiter.cancelled()) {
                    it.remove();
                    cancelledInside.decrementAndGet();
                } else if (waiter.mayForward) {
                    it.remove();
                    remote.peer().started();
                    if (waiter.grant(remote.peer())) {
                        live.decrementAndGet();
                    } else {
                        cancelledInside.decrementAndGet();
                        remote.peer().finished();
                    }
                }
            }
        }
    }

    /** One held request. The state moves once, from waiting to granted or to cancelled. */
    private final class Waiter extends AtomicInteger implements Ticket {

        private static final int WAITING = 0;
        private static final int GRANTED = 1;
        private static final int CANCELLED = 2;

        private final Context context;
        private final Consumer<Backend> onAdmitted;
        private final boolean cold;
        private final boolean mayForward;
        private volatile RevisionQueue queue;
        /** Cancelled after the grant, before the hand-over ran; touched only on the request's event loop. */
        private boolean abandoned;

        Waiter(Context context, Consumer<Backend> onAdmitted, boolean cold, boolean mayForward) {
            this.context = context;
            this.onAdmitted = onAdmitted;
            this.cold = cold;
            this.mayForward = mayForward;
        }

        @Override
        public Status status() {
            return Status.HELD;
        }

        @Override
        public boolean cold() {
            return cold;
        }

        boolean cancelled() {
            return get() == CANCELLED;
        }

        boolean grant(Backend backend) {
            if (!compareAndSet(WAITING, GRANTED)) {
                return false;
            }
            RevisionQueue from = queue;
            context.runOnContext(v -> {
                if (abandoned) {
                    backend.finished();
                    if (from.live.get() > 0) {
                        from.drain();
                    }
                } else {
                    onAdmitted.accept(backend);
                }
            });
            return true;
        }

        @Override
        public void cancel() {
            if (compareAndSet(WAITING, CANCELLED)) {
                queue.cancelled();
            } else {
                abandoned = true;
            }
        }
    }
}
