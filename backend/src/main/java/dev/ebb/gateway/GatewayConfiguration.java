package dev.ebb.gateway;

import dev.ebb.EbbProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the gateway: on unless {@code ebb.gateway.enabled=false}. Snapshots come from the control
 * plane over HTTP when {@code ebb.gateway.control-plane-url} is set, otherwise from a
 * {@link RoutingSource} bean in the same JVM when there is one; the last one is kept under
 * {@code {ebb.data-dir}/gateway/routing.json}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "ebb.gateway.enabled", havingValue = "true", matchIfMissing = true)
class GatewayConfiguration {

    @Bean
    RoutingState routingState(GatewayDomains domains, EbbProperties ebb) {
        return new RoutingState(domains, new SnapshotFile(ebb.dataDir().resolve("gateway").resolve("routing.json")));
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    Gateway gateway(GatewayProperties properties, RoutingState routes) {
        return new Gateway(properties, routes);
    }

    @Bean(destroyMethod = "close")
    RoutingFeed routingFeed(GatewayProperties properties, RoutingState routes, ObjectProvider<RoutingSource> inProcess) {
        boolean remote = properties.controlPlaneUrl() != null && !properties.controlPlaneUrl().toString().isBlank();
        RoutingSource source = remote
                ? new ControlPlaneRoutingSource(properties.controlPlaneUrl(), properties.token(), properties.maxBackoff())
                : inProcess.getIfAvailable();
        return RoutingFeed.start(source, routes);
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
