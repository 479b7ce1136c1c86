package dev.ebb.autoscaler;

import java.time.Instant;

/** Instance counts a revision must not go below for a while, whatever its load: warming before a promotion. */
public interface ScaleFloors {

    ScaleFloors NONE = (namespace, revision, now) -> 0;

    /** The least number of instances {@code revision} must run at {@code now}; 0 when nothing keeps it warm. */
    int floor(String namespace, String revision, Instant now);
}
