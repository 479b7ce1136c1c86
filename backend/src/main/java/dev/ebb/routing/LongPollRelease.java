package dev.ebb.routing;

import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * Answers the gateways' pending long-polls as soon as the control plane begins to stop, before the web server's
 * graceful shutdown waits for requests in progress: a poll waits up to a minute for news, and a gateway that went
 * away leaves its poll waiting until then. Stopping then waits (briefly) until those answers are complete, so that
 * the web server does not close a connection with its answer still unsent: Tomcat's graceful shutdown can finish while
 * the answer of an asynchronous request is still being written.
 */
final class LongPollRelease implements SmartLifecycle {

    private static final Duration ANSWERS_WAIT = Duration.ofSeconds(2);

    private final RoutingPublisher publisher;
    private volatile boolean running;
    /** Long-polls begun and not yet complete. */
    private int open;

    LongPollRelease(RoutingPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void start() {
        running = true;
    }

    /** A long-poll began; {@link #ended} must follow when its request is complete, however it ended. */
    synchronized void began() {
        open++;
    }

    synchronized void ended() {
        open--;
        notifyAll();
    }

    @Override
    public void stop() {
        running = false;
        publisher.stopWaiting();
        long deadline = System.nanoTime() + ANSWERS_WAIT.toNanos();
        synchronized (this) {
            long left;
            while (open > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stopped first: the web server's graceful shutdown runs in a lower phase. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE;
    }
}
