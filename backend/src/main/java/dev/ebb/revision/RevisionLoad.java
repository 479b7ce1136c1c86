package dev.ebb.revision;

import java.util.OptionalDouble;

/** The load a revision carries, as the autoscaler last saw it; empty for a revision nobody autoscales. */
public interface RevisionLoad {

    OptionalDouble averageConcurrency(String namespace, String revision);
}
