package dev.ebb.image;

import dev.ebb.leadership.Leadership;
import dev.ebb.registry.RegistryCredentials;
import dev.ebb.revision.RevisionStore;
import dev.ebb.service.ServiceCatalog;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires image resolution. It runs only with the runtime ({@code ebb.runtime.enabled}): resolution exists to give the
 * runtime a digest to run, and with no runtime a revision's state stays as it was stored, as the API tests expect.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "ebb.runtime.enabled", havingValue = "true", matchIfMissing = true)
class ImageConfiguration {

    @Bean
    RegistryClient registryClient(RegistryProperties properties, Clock clock) {
        return new RegistryClient(properties.timeout(), clock);
    }

    @Bean
    TagLookup tagLookup(RegistryCredentials credentials, RegistryClient client, RegistryProperties properties) {
        return new TagLookup(credentials, client, properties.access());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    ImageResolver imageResolver(RevisionStore revisions, ServiceCatalog catalog, TagLookup lookup,
            PlatformTransactionManager transactions, ApplicationEventPublisher events, Clock clock, Leadership leadership) {
        return new ImageResolver(revisions, catalog, lookup, new TransactionTemplate(transactions), events, clock, leadership);
    }
}
