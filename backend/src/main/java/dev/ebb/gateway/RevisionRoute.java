package dev.ebb.gateway;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/** A revision compiled for routing: who it belongs to, how to talk to it, and its instances. */
final class RevisionRoute {

    private final String namespace;
    private final String service;
    private final String name;
    private final RoutingSnapshot.Protocol protocol;
    private final long timeoutMillis;
    private final Backend[] backends;

    RevisionRoute(String namespace, String service, String name, RoutingSnapshot.Protocol protocol, int timeoutSeconds,
            List<Backend> backends) {
        this.namespace = namespace;
        this.service = service;
        this.name = name;
        this.protocol = protocol;
        this.timeoutMillis = timeoutSeconds > 0 ? timeoutSeconds * 1000L : 300_000L;
        this.backends = backends.toArray(Backend[]::new);
    }

    String namespace() {
        return namespace;
    }

    String service() {
        return service;
    }

    String name() {
        return name;
    }

    boolean h2c() {
        return protocol == RoutingSnapshot.Protocol.H2C;
    }

    long timeoutMillis() {
        return timeoutMillis;
    }

    /** Another instance than those already tried, or null when none is left. */
    Backend chooseBackendOtherThan(Set<Backend> tried, RandomGenerator random) {
        Backend[] left = Arrays.stream(backends).filter(b -> !tried.contains(b)).toArray(Backend[]::new);
        if (left.length == 0) {
            return null;
        }
        return left[EndpointChooser.choose(left.length, i -> left[i].inFlight(), random)];
    }

    /** The instance for the next request, or null when the revision has none ready. */
    Backend chooseBackend(RandomGenerator random) {
        if (backends.length == 0) {
            return null;
        }
        return backends[EndpointChooser.choose(backends.length, i -> backends[i].inFlight(), random)];
    }
}
