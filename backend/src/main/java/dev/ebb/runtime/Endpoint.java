package dev.ebb.runtime;

import java.time.Instant;

/**
 * Where one ready instance of a revision answers, and when it got through each step of its start as the cluster
 * reports them; a step the cluster does not have (the local runtime schedules and pulls nothing) is null.
 *
 * @param scheduled when the cluster placed the instance on a node
 * @param imagePulled when the node had the instance's image (pulled, or found present)
 * @param started when the instance's process or container started
 * @param ready when it first answered its readiness probe
 */
public record Endpoint(String instance, String host, int port, Instant scheduled, Instant imagePulled, Instant started,
        Instant ready) {

    /** An instance that started without scheduling or pulling: a local process. */
    public Endpoint(String instance, String host, int port, Instant started, Instant ready) {
        this(instance, host, port, null, null, started, ready);
    }
}
