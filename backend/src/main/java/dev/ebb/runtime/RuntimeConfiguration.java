package dev.ebb.runtime;

import dev.ebb.revision.RevisionStore;
import dev.ebb.service.ServiceCatalog;
import java.time.Clock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the registry of runtime drivers; each driver feature adds its clusters to it. */
@Configuration(proxyBeanMethods = false)
class RuntimeConfiguration {

    @Bean(destroyMethod = "close")
    Runtimes runtimes(ServiceCatalog catalog, RevisionStore revisions, Clock clock, ApplicationEventPublisher events,
            RuntimeLimits limits) {
        return new Runtimes(catalog, revisions, clock, events, limits);
    }
}
