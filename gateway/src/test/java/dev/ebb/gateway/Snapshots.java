package dev.ebb.gateway;

import dev.ebb.feed.RoutingSnapshot;
import dev.ebb.feed.RoutingSnapshot.Endpoint;
import dev.ebb.feed.RoutingSnapshot.Protocol;
import dev.ebb.feed.RoutingSnapshot.Revision;
import dev.ebb.feed.RoutingSnapshot.Service;
import dev.ebb.feed.RoutingSnapshot.Target;
import dev.ebb.feed.RoutingSnapshot.Visibility;
import java.util.ArrayList;
import java.util.List;

/** Builds routing snapshots for tests: {@code Snapshots.version(3).service("ml", "hello", PUBLIC, ...).build()}. */
final class Snapshots {

    private final long version;
    private final List<Service> services = new ArrayList<>();
    private final List<Revision> revisions = new ArrayList<>();

    private Snapshots(long version) {
        this.version = version;
    }

    static Snapshots version(long version) {
        return new Snapshots(version);
    }

    Snapshots service(String namespace, String name, Visibility visibility, Target... targets) {
        services.add(new Service(namespace, name, visibility, List.of(targets)));
        return this;
    }

    Snapshots revision(String namespace, String name, Protocol protocol, int timeoutSeconds, Endpoint... endpoints) {
        String service = name.substring(0, name.lastIndexOf('-'));
        revisions.add(new Revision(namespace, name, service, protocol, timeoutSeconds, 0, List.of(endpoints)));
        return this;
    }

    /** A revision whose instances each take at most {@code concurrencyLimit} requests at a time. */
    Snapshots revision(String namespace, String name, int timeoutSeconds, int concurrencyLimit, Endpoint... endpoints) {
        String service = name.substring(0, name.lastIndexOf('-'));
        revisions.add(new Revision(namespace, name, service, Protocol.HTTP1, timeoutSeconds, concurrencyLimit, List.of(endpoints)));
        return this;
    }

    /**
     * A revision with a concurrency limit whose requests the gateway buffers or, with {@code buffered} false, forwards
     * straight to its instances (the autoscaler took the gateway out of its path).
     */
    Snapshots revision(String namespace, String name, int timeoutSeconds, int concurrencyLimit, boolean buffered,
            Endpoint... endpoints) {
        String service = name.substring(0, name.lastIndexOf('-'));
        revisions.add(new Revision(namespace, name, service, Protocol.HTTP1, timeoutSeconds, concurrencyLimit, List.of(endpoints))
                .buffered(buffered));
        return this;
    }

    Snapshots revision(String namespace, String name, Endpoint... endpoints) {
        return revision(namespace, name, Protocol.HTTP1, 300, endpoints);
    }

    RoutingSnapshot build() {
        return new RoutingSnapshot(version, services, revisions);
    }

    /**
     * A gateway's routing on the tests' domains ({@code svc.cluster.local} inside, {@code example.com} public), with
     * this snapshot applied.
     */
    RoutingState applied() {
        RoutingState routes = new RoutingState(new GatewayDomains("svc.cluster.local", "example.com"), null);
        routes.apply(build());
        return routes;
    }

    static Target to(String revision, int percent) {
        return new Target(revision, percent, null);
    }

    static Target to(String revision, int percent, String tag) {
        return new Target(revision, percent, tag);
    }

    static Endpoint at(String instance, int port) {
        return new Endpoint(instance, "127.0.0.1", port);
    }
}
