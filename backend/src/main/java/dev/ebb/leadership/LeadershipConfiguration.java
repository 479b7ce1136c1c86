package dev.ebb.leadership;

import dev.ebb.database.DedicatedConnections;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/** Wires leadership to a lock in Ebb's own database, on a connection of its own. */
@Configuration(proxyBeanMethods = false)
class LeadershipConfiguration {

    /** After the migrations: taking the lock names the leader in a table of theirs. */
    @Bean(initMethod = "start", destroyMethod = "close")
    @DependsOn("flywayInitializer")
    Leadership leadership(DedicatedConnections connections, LeadershipProperties properties, Clock clock) {
        String replica = replica();
        PostgresLeaderLock lock = new PostgresLeaderLock(connections.connector("ebb-leadership"), replica);
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
