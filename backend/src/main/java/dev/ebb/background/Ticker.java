package dev.ebb.background;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs {@code round} on a daemon thread every {@code tick} (or after a pause the round's outcome sets), or sooner when
 * {@link #wake woken}, until closed.
 * A round that throws is handed to {@code failed} and the loop goes on: background work never dies of one
 * bad round.
 */
public final class Ticker implements AutoCloseable {

    private final Thread thread;
    /** At most one permit: any number of wakes during a round cause one more round, not many. */
    private final Semaphore wakes = new Semaphore(0);
    private volatile boolean running = true;

    public Ticker(String name, Duration tick, Runnable round, Consumer<RuntimeException> failed) {
        this(name, () -> tick, round, failed);
    }

    /**
     * As above, with the pause after each round asked of {@code pause} once the round has run: a round that left work
     * for later comes back soon, an idle one sleeps long, and {@link #wake} ends either pause.
     */
    public Ticker(String name, Supplier<Duration> pause, Runnable round, Consumer<RuntimeException> failed) {
        this.thread = new Thread(() -> {
            while (running) {
                try {
                    round.run();
                } catch (RuntimeException e) {
                    failed.accept(e);
                }
                try {
                    wakes.tryAcquire(pause.get().toMillis(), TimeUnit.MILLISECONDS);
                    wakes.drainPermits();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Runs the next round now rather than at the next tick; cheap, and safe to call from any thread. */
    public void wake() {
        if (wakes.availablePermits() == 0) {
            wakes.release();
        }
    }

    /** Stops the loop and waits for the round in progress, if any, to end. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
