package dev.ebb.coldstart;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Sums up cold starts per revision against the service's cold-start SLO. */
final class ColdStartStats {

    /** The total wait of one cold start that got a response. */
    record Sample(String revision, long totalMs) {
    }

    /**
     * One revision's cold starts: how many, their nearest-rank percentiles in milliseconds, and the fraction
     * (0 to 1) whose total wait was within the SLO.
     */
    record RevisionSummary(String revision, int count, long p50Ms, long p95Ms, long p99Ms, double withinSlo) {
    }

    private ColdStartStats() {
    }

    /** One summary per revision that has samples, newest revision (highest generation) first. */
    static List<RevisionSummary> summarize(List<Sample> samples, Duration slo) {
        Map<String, List<Long>> byRevision = new TreeMap<>(Comparator.reverseOrder());
        for (Sample sample : samples) {
            byRevision.computeIfAbsent(sample.revision(), r -> new ArrayList<>()).add(sample.totalMs());
        }
        List<RevisionSummary> summaries = new ArrayList<>();
        byRevision.forEach((revision, totals) -> {
            Percentiles p = Percentiles.of(totals.stream().mapToLong(Long::longValue).toArray());
            summaries.add(new RevisionSummary(revision, totals.size(), p.at(50), p.at(95), p.at(99),
                    p.fractionAtMost(slo.toMillis())));
        });
        return summaries;
    }
}
