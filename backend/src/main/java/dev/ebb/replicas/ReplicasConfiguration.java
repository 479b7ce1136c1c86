package dev.ebb.replicas;

import dev.ebb.cluster.ClusterChanged;
import dev.ebb.cluster.Clusters;
import dev.ebb.database.DedicatedConnections;
import dev.ebb.service.ServiceCatalog;
import dev.ebb.service.ServiceChanged;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires the change feed between replicas: a channel of Ebb's database, which is what makes replicas replicas of one
 * Ebb (notifications, like the database's rows, stay within it).
 */
@Configuration(proxyBeanMethods = false)
class ReplicasConfiguration {

    /** This replica, in its messages: random, because two contexts in one process (the tests) are two replicas. */
    private final String sender = UUID.randomUUID().toString();

    private static final String CHANNEL = "ebb_changes";

    @Bean(initMethod = "start", destroyMethod = "close")
    ChangeFeed changeFeed(DedicatedConnections connections, ApplicationEventPublisher events, PlatformTransactionManager transactions, ServiceCatalog catalog, Clusters clusters) {
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        return new ChangeFeed(connections.connector("ebb-replica-changes"), CHANNEL, sender,
                change -> transaction.executeWithoutResult(status -> events.publishEvent(change)),
                () -> {
                    List<Object> everything = new ArrayList<>();
                    catalog.allNames().forEach(service -> everything.add(new ServiceChanged(service.namespace(), service.name())));
                    clusters.names().forEach(cluster -> everything.add(new ClusterChanged(cluster)));
                    return everything;
                });
    }

    @Bean
    ChangeBroadcast changeBroadcast(JdbcTemplate jdbc, ChangeFeed feed) {
        return new ChangeBroadcast(jdbc, CHANNEL, sender, feed);
    }
}
