package dev.ebb.autoscaler;

import java.time.Instant;
import java.util.Optional;

/** When the autoscaler last asked for a revision at zero to get an instance: the "scale requested" phase of a cold start. */
public interface ScaleFromZero {

    ScaleFromZero NONE = (namespace, revision) -> Optional.empty();

    Optional<Instant> lastRequested(String namespace, String revision);
}
