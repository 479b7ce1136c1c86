package dev.ebb.follow;

import dev.ebb.audit.AuditLog;
import dev.ebb.image.RegistryProperties;
import dev.ebb.image.TagLookup;
import dev.ebb.leadership.Leadership;
import dev.ebb.secrets.SecretBox;
import dev.ebb.service.ServiceCatalog;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires registry hooks and the rollout of followed tags. */
@Configuration(proxyBeanMethods = false)
class FollowConfiguration {

    @Bean
    RegistryHooks registryHooks(RegistryHookRepository repository, SecretBox box, AuditLog audit, Clock clock) {
        return new RegistryHooks(repository, box, audit, clock);
    }

    @Bean
    RegistryHookSecrets registryHookSecrets(RegistryHookRepository repository) {
        return new RegistryHookSecrets(repository);
    }

    @Bean
    TagFollower tagFollower(ServiceCatalog catalog) {
        return new TagFollower(catalog);
    }

    /** Like image resolution, only with the runtime: the digest is for the runtime to run. */
    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnProperty(name = "ebb.runtime.enabled", havingValue = "true", matchIfMissing = true)
    FollowedTagPoll followedTagPoll(ServiceCatalog catalog, TagFollower follower, TagLookup lookup,
            RegistryProperties properties, Leadership leadership) {
        return new FollowedTagPoll(catalog, follower, lookup, properties.pollInterval(), leadership);
    }
}
