package dev.ebb.cluster;

import dev.ebb.audit.AuditLog;
import dev.ebb.secrets.SecretBox;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the cluster feature. */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    @Bean
    Clusters clusters(ClusterRepository repository, SecretBox box, AuditLog audit, Clock clock) {
        return new Clusters(repository, box, audit, clock);
    }

    @Bean
    ClusterSecrets clusterSecrets(ClusterRepository repository) {
        return new ClusterSecrets(repository);
    }
}
