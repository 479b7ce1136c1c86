package dev.ebb.leadership;

import dev.ebb.background.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this control-plane replica leads. It tries to take the lock at start (a lone Ebb leads before anything else
 * starts) and then every {@code interval}; a leader looks at it as often, and steps down when it is lost or could not
 * be confirmed for a lease. What may only run on one replica asks {@link #leads()} or runs {@link #whileLeading}; what
 * must catch up when leadership arrives (plan everything again, forget old scaling state) listens with
 * {@link #onChange}.
 */
public final class Leadership implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Leadership.class);

    private final LeaderLock lock;
    private final Clock clock;
    private final Duration lease;
    private final String replica;
    private final Ticker ticker;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private volatile Tenure tenure = Tenure.follower();
    private volatile Instant since;

    Leadership(LeaderLock lock, Clock clock, Duration interval, Duration lease, String replica) {
        this.lock = lock;
        this.clock = clock;
        this.lease = lease;
        this.replica = replica;
        this.ticker = new Ticker("ebb-leadership", interval, this::round, e -> log.warn("Looking at the leader's lock failed", e));
    }

    public void start() {
        round();
        ticker.start();
    }

    private synchronized void round() {
        Instant now = clock.instant();
        Tenure before = tenure;
        Tenure after = before.leads() ? before.after(lock.look(), now, lease)
                : lock.tryTake() ? Tenure.leader(now) : before;
        tenure = after;
        if (after.leads() == before.leads()) {
            return;
        }
        if (after.leads()) {
            since = now;
            log.info("This control plane ({}) leads: it runs the reconcilers, the autoscaler and image resolution", replica);
        } else {
            since = null;
            // Another session may hold the lock by now; ours, if it lingers, must not keep it.
            lock.close();
            log.warn("This control plane ({}) no longer leads: the leader's lock was lost or not confirmed for {} s", replica,
                    lease.toSeconds());
        }
        listeners.forEach(listener -> listener.accept(after.leads()));
    }

    /** A replica that leads, as the API shows it. */
    public record Leader(String replica, Instant since) {
    }

    /** Which replica leads now, whichever asks; empty while none does (an election under way). */
    public Optional<Leader> leader() {
        return lock.leader();
    }

    /** Whether this replica leads now. */
    public boolean leads() {
        return tenure.leads();
    }

    /** Since when it leads; empty when it does not. */
    public Optional<Instant> since() {
        return Optional.ofNullable(since);
    }

    /** This replica's name (host and process), as logs and the health endpoint show it. */
    public String replica() {
        return replica;
    }

    /** {@code round}, run only while this replica leads: for a loop that must run on one replica at a time. */
    public Runnable whileLeading(Runnable round) {
        return () -> {
            if (leads()) {
                round.run();
            }
        };
    }

    /** Calls {@code listener} with true when this replica starts leading and false when it stops. */
    public void onChange(Consumer<Boolean> listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        ticker.close();
        lock.close();
    }
}
