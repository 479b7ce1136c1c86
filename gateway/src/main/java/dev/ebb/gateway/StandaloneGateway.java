package dev.ebb.gateway;

/**
 * The gateway as a process of its own, wired by hand: its routing long-polled from the control plane, its load posted
 * back, its last snapshot kept under the data directory, and Kubernetes' probes answered on the health port when one is
 * set. {@link #close()} stops it in the order a pod's termination needs: the drain first ({@code /readyz} 503 for the
 * drain delay, listeners still open), then the probes' listener, the routing feed, the listeners and requests in flight,
 * and the load reports last, after the gateway's farewell report went out.
 */
public final class StandaloneGateway implements AutoCloseable {

    private final Gateway gateway;
    private final ControlPlaneLoadSink load;
    private final ControlPlaneRoutingSource routing;
    private final HealthListener health;
    private boolean closed;

    private StandaloneGateway(Gateway gateway, ControlPlaneLoadSink load, ControlPlaneRoutingSource routing, HealthListener health) {
        this.gateway = gateway;
        this.load = load;
        this.routing = routing;
        this.health = health;
    }

    /** Starts a gateway that follows the control plane {@code settings} name, which they must. */
    static StandaloneGateway start(StandaloneSettings settings) {
        GatewayProperties properties = settings.gateway();
        if (properties.controlPlaneUrl() == null || properties.controlPlaneUrl().isEmpty()) {
            throw new IllegalArgumentException("no control plane to take routing from; set EBB_GATEWAY_CONTROL_PLANE_URL "
                    + "(e.g. http://ebb.ebb-system:8080) and EBB_GATEWAY_TOKEN (a token of kind \"gateway\").");
        }
        RoutingState routes = new RoutingState(settings.domains(), SnapshotFile.inDataDir(settings.dataDir()));
        ControlPlanes planes = new ControlPlanes(properties.controlPlaneUrl());
        ControlPlaneLoadSink load = new ControlPlaneLoadSink(planes, properties.token(), properties.cluster());
        Gateway gateway = new Gateway(properties, routes, load);
        ControlPlaneRoutingSource routing = null;
        HealthListener health = null;
        try {
            gateway.start();
            routing = new ControlPlaneRoutingSource(planes, properties.token(), properties.maxBackoff(), properties.cluster());
            routing.start(routes.version(), routes::apply);
            if (properties.healthPort() != null) {
                health = HealthListener.start(gateway.vertx(), properties.host(), properties.healthPort(),
                        new Readiness(routes, routing, gateway::draining));
            }
            return new StandaloneGateway(gateway, load, routing, health);
        } catch (RuntimeException e) {
            new StandaloneGateway(gateway, load, routing, health).close();
            throw e;
        }
    }

    /** The gateway itself: its ports, what it routes. */
    public Gateway gateway() {
        return gateway;
    }

    /** The port Kubernetes' probes reach, when the settings asked for one; -1 otherwise. */
    public int healthPort() {
        return health == null ? -1 : health.port();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            gateway.drain();
            if (health != null) {
                health.close();
            }
            if (routing != null) {
                routing.close();
            }
            gateway.close();
        } finally {
            load.close();
        }
    }
}
