package dev.ebb.cluster;

/** A cluster was registered, changed or removed; published inside the transaction that did it. */
public record ClusterChanged(String name) {
}
