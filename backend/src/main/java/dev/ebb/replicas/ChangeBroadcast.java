package dev.ebb.replicas;

import dev.ebb.cluster.ClusterChanged;
import dev.ebb.coldstart.WarmChanged;
import dev.ebb.registry.RegistryCredentialsChanged;
import dev.ebb.runtime.RevisionRetried;
import dev.ebb.service.ServiceChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Tells the other replicas of every change they must act on, inside the transaction that made it: PostgreSQL delivers
 * a notification when, and only if, that transaction commits. A change this replica only heard of from another is not
 * passed on again.
 */
class ChangeBroadcast {

    private static final Logger log = LoggerFactory.getLogger(ChangeBroadcast.class);

    private final JdbcTemplate jdbc;
    private final String channel;
    private final String sender;
    private final ChangeFeed feed;

    ChangeBroadcast(JdbcTemplate jdbc, String channel, String sender, ChangeFeed feed) {
        this.jdbc = jdbc;
        this.channel = channel;
        this.sender = sender;
        this.feed = feed;
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    public void serviceChanged(ServiceChanged event) {
        send(event);
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    public void clusterChanged(ClusterChanged event) {
        send(event);
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    public void warmChanged(WarmChanged event) {
        send(event);
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    public void credentialsChanged(RegistryCredentialsChanged event) {
        send(event);
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    public void revisionRetried(RevisionRetried event) {
        send(event);
    }

    private void send(Object change) {
        if (feed.isRepublishing()) {
            return;
        }
        ChangeMessages.encode(sender, change).ifPresent(message -> {
            try {
                jdbc.queryForList("select pg_notify(?, ?)", channel, message);
            } catch (DataAccessException e) {
                // The change itself was (or will be) refused by the same database; the other replicas replan all of it
                // when their feed reconnects.
                log.warn("Could not tell the other replicas of {}: {}", change, e.getMessage());
            }
        });
    }
}
