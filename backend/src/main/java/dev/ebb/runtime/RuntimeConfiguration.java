package dev.ebb.runtime;

import dev.ebb.audit.AuditLog;
import dev.ebb.cluster.Clusters;
import dev.ebb.leadership.Leadership;
import dev.ebb.registry.PullLogins;
import dev.ebb.revision.RevisionStore;
import dev.ebb.service.ServiceCatalog;
import java.time.Clock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the registry of runtime drivers (each driver feature adds its clusters to it) and the revision actions. */
@Configuration(proxyBeanMethods = false)
class RuntimeConfiguration {

    @Bean(destroyMethod = "close")
    Runtimes runtimes(ServiceCatalog catalog, RevisionStore revisions, PullLogins pullLogins, Clock clock,
            ApplicationEventPublisher events, RuntimeLimits limits, Leadership leadership, Clusters clusters) {
        return new Runtimes(catalog, revisions, pullLogins, clock, events, limits, leadership, () -> clusters.gateways().keySet());
    }

    @Bean
    RevisionActions revisionActions(ServiceCatalog catalog, RevisionStore revisions, AuditLog audit,
            ApplicationEventPublisher events, PlatformTransactionManager transactions, Clock clock) {
        return new RevisionActions(catalog, revisions, audit, events, new TransactionTemplate(transactions), clock);
    }
}
