package dev.ebb.cluster;

import dev.ebb.audit.AuditLog;
import dev.ebb.secrets.SecretBox;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the cluster feature. */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    @Bean
    Clusters clusters(ClusterRepository repository, SecretBox box, AuditLog audit, Clock clock,
            ApplicationEventPublisher events, ObjectProvider<ClusterUsers> users,
            @Value("${ebb.runtime.local.enabled:true}") boolean localRuntime,
            @Value("${ebb.runtime.local.gateway:}") String localGateway,
            @Value("${ebb.kubernetes.in-cluster.name:}") String inClusterName,
            @Value("${ebb.kubernetes.in-cluster.api-server:https://${KUBERNETES_SERVICE_HOST:kubernetes.default.svc}:${KUBERNETES_SERVICE_PORT:443}}") String inClusterServer,
            @Value("${ebb.kubernetes.in-cluster.gateway:}") String inClusterGateway) {
        return new Clusters(repository, box, audit, clock, events, users, localRuntime, localGateway, inClusterName,
                inClusterServer, inClusterGateway);
    }

    @Bean
    ClusterSecrets clusterSecrets(ClusterRepository repository) {
        return new ClusterSecrets(repository);
    }
}
