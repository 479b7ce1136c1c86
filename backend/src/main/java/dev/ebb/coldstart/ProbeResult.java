package dev.ebb.coldstart;

import java.util.Arrays;
import java.util.List;

/**
 * What a cold-start probe measured.
 *
 * @param host the Host the requests were sent with, through the gateway's internal listener
 * @param slo the service's cold-start SLO
 * @param runs every measured request, in order
 * @param p50Ms nearest-rank percentiles of {@code coldStartMs} over the runs that were cold
 * @param withinSlo the fraction of cold runs whose cold start was within the SLO
 */
record ProbeResult(String revision, String host, String path, String slo, List<Run> runs, Long p50Ms, Long p95Ms, Long p99Ms,
        Long maxMs, Double withinSlo) {

    /**
     * One request.
     *
     * @param totalMs from sending the request to the first byte of the response, as the probe saw it
     * @param coldStartMs the gateway's {@code Ebb-Cold-Start}: how long the request waited, null when it did not
     * @param attempts how many times the revision was taken to zero for this run (a request can slip in before the
     *     gateway learns the revision is at zero, and is then not a cold start)
     */
    record Run(int status, long totalMs, Long coldStartMs, int attempts) {

        boolean cold() {
            return coldStartMs != null;
        }
    }

    static ProbeResult of(ProbeRules.Plan plan, String slo, long sloMillis, List<Run> runs) {
        long[] cold = runs.stream().filter(Run::cold).mapToLong(Run::coldStartMs).toArray();
        Percentiles percentiles = Percentiles.of(cold);
        Long max = cold.length == 0 ? null : Arrays.stream(cold).max().getAsLong();
        return new ProbeResult(plan.revision(), plan.host(), plan.path(), slo, List.copyOf(runs), percentiles.at(50),
                percentiles.at(95), percentiles.at(99), max, percentiles.fractionAtMost(sloMillis));
    }
}
