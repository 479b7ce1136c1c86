package dev.ebb.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One share of a service's traffic: a named revision or the latest ready one, a percent, and an
 * optional tag that gives the target its own URL.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrafficTarget(String revision, Boolean latestRevision, Integer percent, String tag) {

    public static TrafficTarget latest(int percent) {
        return new TrafficTarget(null, true, percent, null);
    }

    public boolean followsLatest() {
        return Boolean.TRUE.equals(latestRevision);
    }

    public int percentOrZero() {
        return percent == null ? 0 : percent;
    }
}
