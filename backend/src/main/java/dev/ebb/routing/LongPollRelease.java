package dev.ebb.routing;

import org.springframework.context.SmartLifecycle;

/**
 * Answers the gateways' pending long-polls as soon as the control plane begins to stop, before the web server's
 * graceful shutdown waits for requests in progress: a poll waits up to a minute for news, and a gateway that went
 * away leaves its poll waiting until then.
 */
final class LongPollRelease implements SmartLifecycle {

    private final RoutingPublisher publisher;
    private volatile boolean running;

    LongPollRelease(RoutingPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        publisher.stopWaiting();
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
