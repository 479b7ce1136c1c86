package dev.ebb.metrics;

import dev.ebb.feed.LoadReport;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Where the gateways' request counts arrive, with their load: kept for the API and the console ({@link RequestHistory})
 * and added up for Prometheus ({@link RequestTotals}). Times are this control plane's, not the gateways'.
 */
public class RequestMetrics {

    private final RequestHistory history;
    private final RequestTotals totals;
    private final Clock clock;
    private final List<Consumer<LoadReport>> listeners = new CopyOnWriteArrayList<>();

    public RequestMetrics(RequestHistory history, RequestTotals totals, Clock clock) {
        this.history = history;
        this.totals = totals;
        this.clock = clock;
    }

    /** Takes the requests a gateway's load report carries; quick, and called from the threads that receive reports. */
    public void report(LoadReport report) {
        history.add(clock.instant(), report);
        totals.add(report);
        listeners.forEach(listener -> listener.accept(report));
    }

    /** Also hands every report to {@code listener} (the rollouts measure their steps with them); it must be quick. */
    public void subscribe(Consumer<LoadReport> listener) {
        listeners.add(listener);
    }
}
