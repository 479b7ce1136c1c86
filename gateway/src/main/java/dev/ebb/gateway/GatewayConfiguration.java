package dev.ebb.gateway;

import java.nio.file.Path;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * Wires the gateway: on unless {@code ebb.gateway.enabled=false}. Snapshots come from the control
 * plane over HTTP when {@code ebb.gateway.control-plane-url} is set, otherwise from a
 * {@link RoutingSource} bean in the same JVM when there is one; the last one is kept under
 * {@code {ebb.data-dir}/gateway/routing.json}. What the gateway sees of load goes the same way back: posted
 * to the control plane, or handed to the {@link LoadSink} bean in the same JVM (nowhere when there is none).
 * {@code ebb.gateway.health-port} adds a listener for Kubernetes' probes (the standalone gateway sets it).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "ebb.gateway.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties({GatewayProperties.class, GatewayDomains.class})
class GatewayConfiguration {

    @Bean
    RoutingState routingState(GatewayDomains domains, @Value("${ebb.data-dir:.ebb}") Path dataDir) {
        return new RoutingState(domains, SnapshotFile.inDataDir(dataDir));
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    Gateway gateway(GatewayProperties properties, RoutingState routes, LoadFeed load) {
        return new Gateway(properties, routes, load.sink());
    }

    @Bean(destroyMethod = "close")
    LoadFeed loadFeed(GatewayProperties properties, ObjectProvider<ControlPlanes> planes, ObjectProvider<LoadSink> inProcess) {
        return remote(properties)
                ? new LoadFeed(new ControlPlaneLoadSink(planes.getObject(), properties.token(), properties.cluster()))
                : new LoadFeed(inProcess.getIfAvailable(() -> LoadSink.NONE));
    }

    @Bean(destroyMethod = "close")
    RoutingFeed routingFeed(GatewayProperties properties, RoutingState routes, ObjectProvider<ControlPlanes> planes,
            ObjectProvider<RoutingSource> inProcess) {
        RoutingSource source = remote(properties)
                ? new ControlPlaneRoutingSource(planes.getObject(), properties.token(), properties.maxBackoff(), properties.cluster())
                : inProcess.getIfAvailable();
        return RoutingFeed.start(source, routes);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("ebb.gateway.health-port")
    HealthListener healthListener(GatewayProperties properties, Gateway gateway, RoutingState routes, RoutingFeed feed) {
        return HealthListener.start(gateway.vertx(), properties.host(), properties.healthPort(), new Readiness(routes, feed.source(), gateway::draining));
    }

    /** Begins the gateway's drain as the application starts to close, while its health listener still answers. */
    @Bean
    ApplicationListener<ContextClosedEvent> gatewayDrain(Gateway gateway) {
        return closed -> gateway.drain();
    }

    /** The control plane's replicas a separate gateway talks to, one for its routing feed and its load reports. */
    @Bean
    @Lazy
    ControlPlanes controlPlanes(GatewayProperties properties) {
        return new ControlPlanes(properties.controlPlaneUrl());
    }

    private static boolean remote(GatewayProperties properties) {
        return properties.controlPlaneUrl() != null && !properties.controlPlaneUrl().isEmpty();
    }

    /**
     * Keeps where the gateway's load goes, so that a sink of its own stops with the application. Not a
     * {@link LoadSink} bean itself: that would stand in for the control plane's own sink.
     */
    record LoadFeed(LoadSink sink) implements AutoCloseable {

        @Override
        public void close() {
            if (sink instanceof ControlPlaneLoadSink remote) {
                remote.close();
            }
        }
    }

    /** Keeps the source that feeds the gateway, so that it stops with the application. */
    record RoutingFeed(RoutingSource source) implements AutoCloseable {

        static RoutingFeed start(RoutingSource source, RoutingState routes) {
            if (source != null) {
                source.start(routes.version(), routes::apply);
            }
            return new RoutingFeed(source);
        }

        @Override
        public void close() {
            if (source != null) {
                source.close();
            }
        }
    }
}
