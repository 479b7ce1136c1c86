package dev.ebb.rollout;

import dev.ebb.spec.Durations;
import dev.ebb.spec.Rollout;
import java.util.Locale;

/**
 * Decides whether a step of a rollout is over and how it went, from what the gateways measured of the new (candidate)
 * and the stable revision during it. Latencies are those of warm requests only, so that a cold start never fails a step.
 */
public final class StepJudge {

    /** What a step comes to: wait longer, move on, or send everything back to the stable revision. */
    public enum Outcome { WAIT, PASS, FAIL }

    /** An outcome and the sentence that explains it, with the numbers. */
    public record Verdict(Outcome outcome, String reason) {
    }

    private StepJudge() {
    }

    /**
     * @param elapsedMs how long the step has lasted
     * @param stepMs how long it lasts before it is judged; negative: until promoted
     */
    public static Verdict judge(Rollout.Analysis analysis, long elapsedMs, long stepMs, RevisionFigures candidate,
            RevisionFigures stable) {
        if (stepMs < 0) {
            return new Verdict(Outcome.WAIT, "waits to be promoted");
        }
        if (elapsedMs < stepMs) {
            return new Verdict(Outcome.WAIT, "step lasts " + seconds(stepMs));
        }
        if (analysis == null) {
            return new Verdict(Outcome.PASS, "step lasted " + seconds(stepMs) + "; no analysis");
        }
        if (candidate.answers() < analysis.minRequests()) {
            String count = candidate.answers() + " of the " + analysis.minRequests() + " answers a step needs";
            if (Rollout.Analysis.PROCEED.equals(analysis.lowTraffic())) {
                return new Verdict(Outcome.PASS, count + "; moving on unjudged (lowTraffic: proceed)");
            }
            long maxWait = Durations.parse(analysis.maxWait()).orElseThrow().toMillis();
            if (elapsedMs < stepMs + maxWait) {
                return new Verdict(Outcome.WAIT, count + "; waiting up to " + analysis.maxWait() + " for more");
            }
            return new Verdict(Outcome.PASS, count + " after waiting " + analysis.maxWait() + "; moving on unjudged");
        }
        Double errorRate = candidate.errorRate();
        if (analysis.maxErrorRate() != null && errorRate != null && errorRate > analysis.maxErrorRate()) {
            return new Verdict(Outcome.FAIL, "error rate " + share(errorRate) + " (" + candidate.errors() + " of "
                    + candidate.answers() + " answers 5xx) is above maxErrorRate " + share(analysis.maxErrorRate()));
        }
        Double p99 = candidate.warmP99Ms();
        if (analysis.maxP99LatencyMs() != null && p99 != null && p99 > analysis.maxP99LatencyMs()) {
            return new Verdict(Outcome.FAIL, "p99 latency " + millis(p99) + " of " + candidate.warmRequests()
                    + " warm requests is above maxP99LatencyMs " + analysis.maxP99LatencyMs() + " ms");
        }
        Double stableP99 = stable.warmP99Ms();
        if (analysis.maxLatencyRatio() != null && p99 != null && stableP99 != null && stableP99 > 0
                && p99 / stableP99 > analysis.maxLatencyRatio()) {
            return new Verdict(Outcome.FAIL, "p99 latency " + millis(p99) + " is " + ratio(p99 / stableP99)
                    + " times the stable revision's " + millis(stableP99) + ", above maxLatencyRatio " + analysis.maxLatencyRatio());
        }
        return new Verdict(Outcome.PASS, "error rate " + (errorRate == null ? "-" : share(errorRate)) + " of "
                + candidate.answers() + " answers, warm p99 " + (p99 == null ? "-" : millis(p99))
                + (stableP99 == null ? "" : " (stable " + millis(stableP99) + ")") + ": within the analysis");
    }

    private static String seconds(long ms) {
        return Durations.format(java.time.Duration.ofMillis(ms));
    }

    private static String share(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String millis(double ms) {
        return String.format(Locale.ROOT, "%.1f ms", ms);
    }
}
