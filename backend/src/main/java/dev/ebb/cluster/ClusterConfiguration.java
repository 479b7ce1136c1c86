package dev.ebb.cluster;

import dev.ebb.audit.AuditLog;
import dev.ebb.secrets.SecretBox;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the cluster feature. */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    @Bean
    Clusters clusters(ClusterRepository repository, SecretBox box, AuditLog audit, Clock clock,
            ApplicationEventPublisher events, ObjectProvider<ClusterUsers> users) {
        return new Clusters(repository, box, audit, clock, events, users);
    }

    @Bean
    ClusterSecrets clusterSecrets(ClusterRepository repository) {
        return new ClusterSecrets(repository);
    }
}
