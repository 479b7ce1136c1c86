package dev.ebb.metrics;

import dev.ebb.autoscaler.ScalingObserver;
import dev.ebb.runtime.RevisionKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every revision's load over the last hour, one point a second, fed by the autoscaler's rounds. Bounded: at most
 * {@value #CAPACITY} points a revision, and a revision the autoscaler no longer follows is forgotten once its newest
 * point is an hour old. Lost on restart, which a chart of the last hour can afford.
 */
public class LoadHistory implements ScalingObserver {

    static final long STEP_MS = 1_000;
    static final Duration KEEP = Duration.ofHours(1);
    static final int CAPACITY = (int) (KEEP.toMillis() / STEP_MS);

    /** One revision's points, and whether its sample is requests per second rather than requests in flight. */
    record RevisionPoints(String revision, boolean requestsPerSecond, LoadSeries.Points points) {
    }

    private record Followed(boolean requestsPerSecond, LoadSeries series) {
    }

    private final Map<RevisionKey, Followed> revisions = new ConcurrentHashMap<>();

    @Override
    public void round(Instant at, List<RevisionRound> round) {
        long now = at.toEpochMilli();
        for (RevisionRound r : round) {
            revisions.computeIfAbsent(r.revision(), k -> new Followed(r.requestsPerSecond(), new LoadSeries(CAPACITY, STEP_MS, KEEP.toMillis())))
                    .series().add(now, r.desired(), r.ready(), r.sample());
        }
        revisions.values().removeIf(f -> f.series().newest() < now - KEEP.toMillis());
    }

    /** The points of each revision of the service since {@code since}, newest revision first; revisions without any are left out. */
    List<RevisionPoints> of(String namespace, String service, Instant since, Instant now) {
        return revisions.entrySet().stream()
                .filter(e -> e.getKey().namespace().equals(namespace) && e.getKey().service().equals(service))
                .map(e -> new RevisionPoints(e.getKey().revision(), e.getValue().requestsPerSecond(),
                        e.getValue().series().since(since.toEpochMilli(), now.toEpochMilli())))
                .filter(r -> r.points().size() > 0)
                // Revision names end in a zero-padded generation, so the later name is the newer revision.
                .sorted(Comparator.comparing(RevisionPoints::revision).reversed())
                .toList();
    }

    /** How many revisions are followed: for tests of the bound. */
    int followed() {
        return revisions.size();
    }
}
