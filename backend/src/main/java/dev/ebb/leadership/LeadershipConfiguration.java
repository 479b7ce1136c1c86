package dev.ebb.leadership;

import dev.ebb.database.DedicatedConnections;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.core.JdbcTemplate;

/** Wires leadership to a lock in Ebb's own database, on a connection of its own; who leads is read over the pool. */
@Configuration(proxyBeanMethods = false)
class LeadershipConfiguration {

    /** After the migrations: taking the lock names the leader in a table of theirs. */
    @Bean(initMethod = "start", destroyMethod = "close")
    @DependsOn("flywayInitializer")
    Leadership leadership(DedicatedConnections connections, JdbcTemplate jdbc, LeadershipProperties properties, Clock clock) {
        String replica = replica();
        PostgresLeaderLock lock = new PostgresLeaderLock(connections.connector("ebb-leadership"), jdbc, replica);
        return new Leadership(lock, clock, properties.interval(), properties.lease(), replica);
    }

    /** The host and process: a pod's name on Kubernetes. */
    private static String replica() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid();
    }
}
