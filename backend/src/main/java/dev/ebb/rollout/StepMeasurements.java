package dev.ebb.rollout;

import dev.ebb.feed.LoadReport;
import dev.ebb.feed.RequestStats;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the gateways report of the two revisions of each rollout step in progress, added up from the moment the step's
 * window opened. In memory: after a restart, or on a replica that has just started leading, the engine opens the
 * step's window again and the step is measured from then on.
 */
class StepMeasurements {

    private final Map<Long, Window> windows = new ConcurrentHashMap<>();

    /** One step's window. {@code key} tells apart the steps of one rollout and their restarts. */
    static final class Window {
        final String key;
        private final String namespace;
        private final String candidate;
        private final String stable;
        private RequestStats candidateStats;
        private RequestStats stableStats;

        Window(String key, String namespace, String candidate, String stable) {
            this.key = key;
            this.namespace = namespace;
            this.candidate = candidate;
            this.stable = stable;
        }

        synchronized void add(LoadReport.RevisionLoad load) {
            if (!load.namespace().equals(namespace)) {
                return;
            }
            for (RequestStats stats : load.requests()) {
                if (load.revision().equals(candidate)) {
                    candidateStats = candidateStats == null ? stats : candidateStats.plus(stats);
                } else if (load.revision().equals(stable)) {
                    stableStats = stableStats == null ? stats : stableStats.plus(stats);
                }
            }
        }

        /** What was counted of both revisions so far, taken together so that a judgement and its record agree. */
        synchronized Figures figures() {
            return new Figures(candidateStats == null ? RevisionFigures.NONE : RevisionFigures.of(candidateStats),
                    stableStats == null ? RevisionFigures.NONE : RevisionFigures.of(stableStats));
        }
    }

    /** The new and the stable revision's figures over one step, as of one instant. */
    record Figures(RevisionFigures candidate, RevisionFigures stable) {
        static final Figures NONE = new Figures(RevisionFigures.NONE, RevisionFigures.NONE);
    }

    void report(LoadReport report) {
        if (windows.isEmpty()) {
            return;
        }
        for (LoadReport.RevisionLoad load : report.revisions()) {
            if (!load.requests().isEmpty()) {
                windows.values().forEach(window -> window.add(load));
            }
        }
    }

    /** The open window of rollout {@code id}, when its key is {@code key}. */
    Window get(long id, String key) {
        Window window = windows.get(id);
        return window != null && window.key.equals(key) ? window : null;
    }

    Window open(long id, String key, String namespace, String candidate, String stable) {
        Window window = new Window(key, namespace, candidate, stable);
        windows.put(id, window);
        return window;
    }

    void close(long id) {
        windows.remove(id);
    }

    /** Keeps only the windows of these rollouts. */
    void retain(java.util.Set<Long> ids) {
        windows.keySet().retainAll(ids);
    }
}
