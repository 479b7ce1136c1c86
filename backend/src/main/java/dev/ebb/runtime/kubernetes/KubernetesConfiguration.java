package dev.ebb.runtime.kubernetes;

import dev.ebb.audit.AuditLog;
import dev.ebb.cluster.Clusters;
import dev.ebb.runtime.Runtimes;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires a Kubernetes driver per registered cluster, and for the cluster Ebb runs in when
 * {@code ebb.kubernetes.in-cluster.name} names it, unless {@code ebb.runtime.enabled=false}. Services on those
 * clusters resolve to the gateway Service {@code ebb.kubernetes.gateway-service} in {@code ebb.kubernetes.gateway-namespace}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "ebb.runtime.enabled", havingValue = "true", matchIfMissing = true)
class KubernetesConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    KubernetesClusters kubernetesClusters(Clusters clusters, Runtimes runtimes,
            @Value("${ebb.kubernetes.gateway-service:ebb-gateway}") String gatewayService,
            @Value("${ebb.kubernetes.gateway-namespace:ebb-system}") String gatewayNamespace,
            @Value("${ebb.kubernetes.observe-interval:1s}") Duration observeEvery,
            @Value("${ebb.kubernetes.progress-deadline:600s}") Duration progressDeadline, AuditLog audit,
            PlatformTransactionManager transactions, Clock clock, InCluster inCluster) {
        return new KubernetesClusters(clusters, runtimes, new DesiredObjects.Gateway(gatewayService, gatewayNamespace), observeEvery,
                progressDeadline,
                new ClusterAudit(audit, new TransactionTemplate(transactions), clock), inCluster);
    }

    @Bean
    InCluster inCluster(@Value("${ebb.kubernetes.in-cluster.name:}") String name,
            @Value("${ebb.kubernetes.in-cluster.api-server:https://${KUBERNETES_SERVICE_HOST:kubernetes.default.svc}:${KUBERNETES_SERVICE_PORT:443}}") String apiServer,
            @Value("${ebb.kubernetes.in-cluster.token-file:/var/run/secrets/kubernetes.io/serviceaccount/token}") String tokenFile,
            @Value("${ebb.kubernetes.in-cluster.ca-file:/var/run/secrets/kubernetes.io/serviceaccount/ca.crt}") String caFile) {
        return new InCluster(name, apiServer, tokenFile, caFile);
    }
}
