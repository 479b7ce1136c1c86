package dev.ebb.routing;

import dev.ebb.autoscaler.Autoscaler;
import dev.ebb.coldstart.ColdStartRecorder;
import dev.ebb.gateway.InProcessRoutingSource;
import dev.ebb.leadership.Leadership;
import dev.ebb.metrics.RequestMetrics;
import dev.ebb.revision.RevisionStore;
import dev.ebb.runtime.Runtimes;
import dev.ebb.service.ServiceCatalog;
import dev.ebb.service.ServiceRoutes;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the routing snapshot publisher, its hand-over to a gateway in the same JVM, and the end of gateways' reports. */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

    @Bean(destroyMethod = "close")
    RoutingPublisher routingPublisher(ServiceCatalog catalog, ServiceRoutes serviceRoutes, RevisionStore revisions,
            Runtimes runtimes, Clock clock, Leadership leadership) {
        RoutingPublisher publisher = new RoutingPublisher(catalog, serviceRoutes, revisions, runtimes, clock, leadership);
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
    GatewayReports gatewayReports(ObjectProvider<Autoscaler> autoscaler, ColdStartRecorder coldStarts, RequestMetrics requests) {
        return new GatewayReports(autoscaler, coldStarts, requests);
    }

    /** In embedded mode the gateway in this JVM takes each snapshot straight from the publisher. */
    @Bean
    InProcessRoutingSource embeddedRoutingSource(RoutingPublisher publisher) {
        InProcessRoutingSource source = new InProcessRoutingSource();
        publisher.subscribe(source::publish);
        return source;
    }
}
