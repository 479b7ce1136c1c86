package dev.ebb.routing;

import dev.ebb.autoscaler.Autoscaler;
import dev.ebb.autoscaler.GatewayPath;
import dev.ebb.cluster.Clusters;
import dev.ebb.coldstart.ColdStartRecorder;
import dev.ebb.gateway.InProcessRoutingSource;
import dev.ebb.leadership.Leadership;
import dev.ebb.metrics.RequestMetrics;
import dev.ebb.revision.RevisionStore;
import dev.ebb.runtime.Runtimes;
import dev.ebb.secrets.KeyRing;
import dev.ebb.service.ServiceCatalog;
import dev.ebb.service.ServiceRoutes;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the routing snapshot publisher, its hand-over to a gateway in the same JVM, and the end of gateways' reports. */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

    @Bean(destroyMethod = "close")
    RoutingPublisher routingPublisher(ServiceCatalog catalog, ServiceRoutes serviceRoutes, RevisionStore revisions,
            Runtimes runtimes, Clock clock, Leadership leadership, Clusters clusters, KeyRing keys,
            @Value("${ebb.peer-token-rotation:6h}") Duration tokenRotation, ObjectProvider<GatewayPath> path) {
        RoutingPublisher publisher = new RoutingPublisher(catalog, serviceRoutes, revisions, runtimes, clock, leadership,
                clusters::gateways, new PeerTokens(keys::derive, tokenRotation),
                path.getIfAvailable(() -> GatewayPath.ALWAYS_IN_PATH));
        publisher.start();
        // Gateways long-polling a replica that stops leading go and find the one that leads.
        leadership.onChange(leads -> {
            if (leads) {
                publisher.rebuild();
            } else {
                publisher.releaseWaiting();
            }
        });
        return publisher;
    }

    @Bean
    LongPollRelease longPollRelease(RoutingPublisher publisher) {
        return new LongPollRelease(publisher);
    }

    @Bean
    GatewayPresence gatewayPresence(Clock clock, @Value("${ebb.placement.default-cluster:local}") String defaultCluster) {
        return new GatewayPresence(clock, defaultCluster);
    }

    @Bean
    GatewayReports gatewayReports(ObjectProvider<Autoscaler> autoscaler, ColdStartRecorder coldStarts, RequestMetrics requests,
            GatewayPresence presence) {
        return new GatewayReports(autoscaler, coldStarts, requests, presence);
    }

    /** In embedded mode the gateway in this JVM takes each snapshot straight from the publisher. */
    @Bean
    InProcessRoutingSource embeddedRoutingSource(RoutingPublisher publisher) {
        InProcessRoutingSource source = new InProcessRoutingSource();
        publisher.subscribe(source::publish);
        return source;
    }
}
