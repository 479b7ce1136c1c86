package dev.ebb.registry;

import dev.ebb.audit.AuditLog;
import dev.ebb.secrets.SecretBox;
import java.time.Clock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the registry credential feature. */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

    @Bean
    RegistryCredentials registryCredentials(RegistryCredentialRepository repository, SecretBox box, AuditLog audit,
            Clock clock, ApplicationEventPublisher events) {
        return new RegistryCredentials(repository, box, audit, clock, events);
    }

    @Bean
    PullLogins pullLogins(RegistryCredentialRepository repository, SecretBox box) {
        return new PullLogins(repository, box);
    }

    @Bean
    RegistryCredentialSecrets registryCredentialSecrets(RegistryCredentialRepository repository) {
        return new RegistryCredentialSecrets(repository);
    }
}
