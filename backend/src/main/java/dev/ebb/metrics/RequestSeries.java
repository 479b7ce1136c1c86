package dev.ebb.metrics;

import dev.ebb.feed.LatencyBuckets;
import dev.ebb.feed.RequestStats;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One revision's requests in fixed steps: per step how many ended, how many failed (5xx, whoever answered), how many
 * of those the gateway answered itself, how many waited for a cold start, and the latency to the last byte as
 * histograms, warm and cold apart. Only steps with requests take memory (an idle revision costs nothing), none older
 * than {@code keepMs} behind the newest. Thread-safe.
 */
final class RequestSeries {

    private static final int SLOTS = LatencyBuckets.SLOTS;

    /** One step's counts. Latencies: warm in the first {@link #SLOTS} counts, cold in the next. */
    static final class Step {
        final long t;
        long requests;
        long errors;
        long gatewayErrors;
        long cold;
        final int[] latency = new int[2 * SLOTS];

        Step(long t) {
            this.t = t;
        }

        void add(RequestStats stats) {
            requests += stats.requests();
            long appErrors = stats.responses().getOrDefault("5xx", 0L);
            long byGateway = 0;
            for (var code : stats.gatewayResponses().entrySet()) {
                if (code.getKey().startsWith("5")) {
                    byGateway += code.getValue();
                }
            }
            errors += appErrors + byGateway;
            gatewayErrors += byGateway;
            cold += stats.coldLastByte().total();
            for (int i = 0; i < SLOTS; i++) {
                latency[i] += (int) stats.lastByte().count(i);
                latency[SLOTS + i] += (int) stats.coldLastByte().count(i);
            }
        }

        void addTo(long[] warm, long[] all) {
            for (int i = 0; i < SLOTS; i++) {
                warm[i] += latency[i];
                all[i] += latency[i] + latency[SLOTS + i];
            }
        }
    }

    private final long stepMs;
    private final long keepMs;
    private final ArrayDeque<Step> steps = new ArrayDeque<>();

    RequestSeries(long stepMs, long keepMs) {
        this.stepMs = stepMs;
        this.keepMs = keepMs;
    }

    /** Adds requests that ended by {@code atMs} to its step (to the newest step should the clock have gone back). */
    synchronized void add(long atMs, RequestStats stats) {
        long start = Math.floorDiv(atMs, stepMs) * stepMs;
        Step newest = steps.peekLast();
        if (newest == null || newest.t < start) {
            newest = new Step(start);
            steps.addLast(newest);
        }
        newest.add(stats);
        while (!steps.isEmpty() && steps.peekFirst().t < start - keepMs) {
            steps.pollFirst();
        }
    }

    /** Copies of the steps that start at or after {@code fromMs}, oldest first. */
    synchronized List<Step> since(long fromMs) {
        List<Step> copies = new ArrayList<>();
        for (Iterator<Step> it = steps.descendingIterator(); it.hasNext(); ) {
            Step step = it.next();
            if (step.t < fromMs) {
                break;
            }
            Step copy = new Step(step.t);
            copy.requests = step.requests;
            copy.errors = step.errors;
            copy.gatewayErrors = step.gatewayErrors;
            copy.cold = step.cold;
            System.arraycopy(step.latency, 0, copy.latency, 0, copy.latency.length);
            copies.add(0, copy);
        }
        return copies;
    }

    /** When the newest step starts, or {@link Long#MIN_VALUE} without any. */
    synchronized long newest() {
        Step newest = steps.peekLast();
        return newest == null ? Long.MIN_VALUE : newest.t;
    }
}
