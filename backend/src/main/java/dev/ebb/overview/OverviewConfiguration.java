package dev.ebb.overview;

import dev.ebb.coldstart.ColdStartSummaries;
import dev.ebb.metrics.RequestHistory;
import dev.ebb.revision.InstanceCounts;
import dev.ebb.service.ServiceCatalog;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the service overview. */
@Configuration(proxyBeanMethods = false)
class OverviewConfiguration {

    @Bean
    ServiceSummaries serviceSummaries(ServiceCatalog catalog, ColdStartSummaries coldStarts,
            ObjectProvider<InstanceCounts> instances, RequestHistory requests, Clock clock) {
        return new ServiceSummaries(catalog, coldStarts, instances, requests, clock);
    }
}
