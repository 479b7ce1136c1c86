package dev.ebb.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How a service's new ready revision takes over the share of its traffic that follows {@code latestRevision}. Left out,
 * or {@code immediate}, the new revision takes that share at once, as in Knative. {@code gradual} moves it over
 * {@code duration} in Knative's steps ({@code serving.knative.dev/rollout-duration}); {@code canary} moves it through
 * {@code steps} percents, one every {@code interval}; {@code blueGreen} gives the new revision a tag URL at 0 % until
 * someone promotes it. With {@code analysis}, each step is judged on what the gateways measured of the new and the
 * stable revision during it, and a failing step sends everything back to the stable revision at once.
 *
 * @param strategy {@code immediate} (the default), {@code gradual}, {@code canary} or {@code blueGreen}
 * @param duration gradual only: how long the whole rollout takes, such as {@code 10m}
 * @param steps canary only: the new revision's percent at each step, rising, ending at 100 (default 5, 25, 50, 100)
 * @param interval canary only: how long each step lasts before it is judged (default {@code 1m})
 * @param analysis when to call a step bad; left out, steps move on time alone
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rollout(String strategy, String duration, List<Integer> steps, String interval, Analysis analysis) {

    public static final String IMMEDIATE = "immediate";
    public static final String GRADUAL = "gradual";
    public static final String CANARY = "canary";
    public static final String BLUE_GREEN = "blueGreen";

    public Rollout {
        steps = steps == null ? null : Collections.unmodifiableList(new ArrayList<>(steps));
    }

    /** Whether a new revision takes the latestRevision share at once (today's behaviour, and Knative's default). */
    @JsonIgnore
    public boolean isImmediate() {
        return strategy == null || IMMEDIATE.equals(strategy);
    }

    /**
     * What makes a step fail, measured by the gateways over the step for the new and the stable revision.
     *
     * @param maxErrorRate the largest share (0 to 1) of the new revision's own answers that may be 5xx
     * @param maxP99LatencyMs the largest p99 latency of the new revision's warm requests (cold starts excluded)
     * @param maxLatencyRatio the largest ratio of the new revision's warm p99 to the stable revision's in the same step
     * @param minRequests answers of the new revision a step needs before it is judged (default 10)
     * @param lowTraffic what a step with fewer does: {@code wait} (the default) for up to {@code maxWait} more, then move
     *        on unjudged, or {@code proceed} at once unjudged
     * @param maxWait how long a step waits for {@code minRequests} after its interval (default {@code 5m})
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Analysis(Double maxErrorRate, Integer maxP99LatencyMs, Double maxLatencyRatio, Integer minRequests,
            String lowTraffic, String maxWait) {

        public static final String WAIT = "wait";
        public static final String PROCEED = "proceed";
    }
}
